#!/usr/bin/env bash
# Runs on the GPU machine from inside .gpukit/ (built by tools/bench/gpukit.sh): unpacks node and onnxruntime,
# points the Vulkan loader at the NVIDIA driver, then (1) bench.mjs: SD 1.5 at 512 px on the WebGPU EP
# (generation fp32/fp16, one personalization step) and (2) train:base on the WebGPU EP for the time left.
# Usage: bash gpu.sh <out-dir> <total-seconds>. Peak GPU memory: nvidia-smi sampled every 250 ms.
set -u
OUT=$1; TOTAL=${2:-480}; T0=$(date +%s)
mkdir -p "$OUT/tb" node_modules/onnxruntime-node/bin/napi-v6/linux/x64
xz -d node.xz && chmod +x node && tar xJf ort.tar.xz -C node_modules/onnxruntime-node/bin/napi-v6/linux/x64
export LD_LIBRARY_PATH=$PWD/lib:${LD_LIBRARY_PATH:-}
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; [ -f $ICD ] && export VK_DRIVER_FILES=$ICD
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null; nvidia-smi -L
nvidia-smi --query-gpu=timestamp,memory.used --format=csv,noheader,nounits -lms 250 > "$OUT/gpumem.log" &
SMI=$!
echo "== bench $(date +%T)"
timeout 230 ./node bench.mjs --ep webgpu --size 512 --iters 5 --fp16 > "$OUT/bench.json" 2>&1
echo "bench rc=$? at $(( $(date +%s) - T0 )) s"
LEFT=$(( TOTAL - ($(date +%s) - T0) - 45 ))
UM=$(python3 -c "print(max(0.5, ($LEFT - 75) / 60))")
echo "== train:base $(date +%T): vae 1.0 min, unet $UM min"
timeout $LEFT ./node trainBase.mjs --resume --dir tb --ep webgpu --vae-steps 3000 --vae-batch 32 --vae-minutes 1.0 \
  --unet-steps 30000 --batch 64 --unet-minutes "$UM" --checkpoint-every 100 --no-export 2>&1 | tr '\r' '\n' | awk 'NR<=40 || NR%20==0'
echo "train rc=${PIPESTATUS[0]} at $(( $(date +%s) - T0 )) s"
cp tb/* "$OUT/tb/"
kill $SMI
