#!/usr/bin/env bash
# Runs every test: vitest (node + dom projects) and Playwright (Debian Chromium, software WebGPU), then prints
# one closing line "N passed, N failed" summing both. Exit status is non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results
export ONNXRUNTIME_NODE_INSTALL=skip
rm -f test-results/vitest.json test-results/playwright.json

# onnxruntime-node's WebGPU EP finds Debian Chromium's SwiftShader Vulkan driver (docs/platform.md): the
# WebGPU-EP unit tests then run for real instead of skipping.
if [ -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then
  vk_env=(VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium DISEN_WEBGPU=1)
else
  echo "note: no SwiftShader Vulkan driver found; WebGPU-EP unit tests will skip"
  vk_env=()
fi
env "${vk_env[@]}" npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
unit_rc=$?
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json
e2e_rc=$?

node - <<'JS'
const fs = require('fs');
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return null; } };
const v = read('test-results/vitest.json');
const p = read('test-results/playwright.json');
let passed = 0, failed = 0, skipped = 0;
if (v) { passed += v.numPassedTests; failed += v.numFailedTests; skipped += v.numPendingTests + (v.numTodoTests || 0); }
else failed += 1;
if (p) { passed += p.stats.expected; failed += p.stats.unexpected + (p.stats.flaky || 0); skipped += p.stats.skipped; }
else failed += 1;
console.log(`unit: ${v ? v.numPassedTests + ' passed, ' + v.numFailedTests + ' failed' : 'no report'}; browser: ${p ? p.stats.expected + ' passed, ' + p.stats.unexpected + ' failed, ' + p.stats.skipped + ' skipped' : 'no report'}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
JS
[ $unit_rc -eq 0 ] && [ $e2e_rc -eq 0 ]
