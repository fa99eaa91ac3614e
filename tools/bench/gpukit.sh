#!/usr/bin/env bash
# Builds .gpukit/: everything tools/bench/gpu.sh needs on a bare Linux x86-64 GPU machine with no Node.js and no
# network (as the project's lent GPU machines are): node (xz), onnxruntime-node's linux-x64 binaries (xz), the
# Vulkan loader from Debian Chromium, esbuild bundles of tools/bench/gpu.ts and tools/trainBase/main.ts, and a
# copy of the train:base checkpoint (.cache/trainBase). About 40 MB. .gpukit/ is git-ignored.
set -euo pipefail
cd "$(dirname "$0")/../.."
K=.gpukit
rm -rf "$K" && mkdir -p "$K/lib" "$K/node_modules/onnxruntime-node" "$K/node_modules/onnxruntime-common"
xz -T2 -6 -c "$(command -v node)" > "$K/node.xz"
tar -C node_modules/onnxruntime-node/bin/napi-v6/linux/x64 -cf - . | xz -T2 -6 > "$K/ort.tar.xz"
cp -r node_modules/onnxruntime-node/{package.json,dist} "$K/node_modules/onnxruntime-node/"
cp -r node_modules/onnxruntime-common/{package.json,dist} "$K/node_modules/onnxruntime-common/"
cp /usr/lib/chromium/libvulkan.so.1 "$K/lib/"
for entry in tools/bench/gpu.ts:bench.mjs tools/trainBase/main.ts:trainBase.mjs; do
  npx esbuild "${entry%%:*}" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
    --external:onnxruntime-node --external:onnxruntime-web --outfile="$K/${entry##*:}" \
    --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
done
[ -d .cache/trainBase ] && cp -r .cache/trainBase "$K/tb"
cp tools/bench/gpu.sh "$K/"
du -sh "$K"
