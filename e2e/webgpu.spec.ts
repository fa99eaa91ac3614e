// @webgpu: a toolkit-built graph (Conv, InstanceNormalization, MatMul, Softmax) runs on the WebGPU EP of
// onnxruntime-web with CPU fallback disabled, and on wasm; both match a plain TypeScript reference.
import { expect, test } from '@playwright/test';
import { Rng } from '../src/lib/random';
import { skipWithoutWebGpu } from './webgpuAdapter';

type Ep = { backend: { ep: string; adapter?: string }; y: number[]; yFromUpload: number[]; downloaded: number[] } | { error: string };

/** Plain TS reference of webgpuGraph.ts with the same seeded weights (same draw order). */
function reference(): number[] {
  const rng = new Rng(7);
  const w = rng.normalArray(54, 0.5);
  const bias = rng.normalArray(3, 0.1);
  const scale = rng.uniformArray(3, 0.5, 1.5);
  const nbias = rng.normalArray(3, 0.1);
  const proj = rng.normalArray(80, 0.3);
  const x = rng.normalArray(32);
  const conv = new Float64Array(48);
  for (let m = 0; m < 3; m++)
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        let s = bias[m] as number;
        for (let c = 0; c < 2; c++)
          for (let ki = 0; ki < 3; ki++)
            for (let kj = 0; kj < 3; kj++) {
              const yi = i + ki - 1;
              const xj = j + kj - 1;
              if (yi < 0 || yi >= 4 || xj < 0 || xj >= 4) continue;
              s += (w[((m * 2 + c) * 3 + ki) * 3 + kj] as number) * (x[c * 16 + yi * 4 + xj] as number);
            }
        conv[m * 16 + i * 4 + j] = s;
      }
  for (let m = 0; m < 3; m++) {
    const row = conv.subarray(m * 16, m * 16 + 16);
    const mean = row.reduce((a, v) => a + v, 0) / 16;
    const vr = row.reduce((a, v) => a + (v - mean) ** 2, 0) / 16;
    for (let k = 0; k < 16; k++) row[k] = ((row[k] as number) - mean) / Math.sqrt(vr + 1e-5) * (scale[m] as number) + (nbias[m] as number);
  }
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    const logits = [0, 1, 2, 3, 4].map((c) => {
      let s = 0;
      for (let k = 0; k < 16; k++) s += (conv[r * 16 + k] as number) * (proj[k * 5 + c] as number);
      return s;
    });
    const mx = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - mx));
    const z = e.reduce((a, v) => a + v, 0);
    out.push(...e.map((v) => v / z));
  }
  return out;
}

test('toolkit graph runs on WebGPU (no CPU fallback) and wasm, matching the reference; uploaded tensors feed and read back @webgpu', async ({ page }) => {
  await page.goto('/e2e/pages/webgpu-graph.html');
  await skipWithoutWebGpu(page);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 150_000 });
  const r = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as { webgpu: Ep; wasm: Ep; x: number[] };
  const ref = reference();
  for (const [name, want] of [['webgpu', 'webgpu'], ['wasm', 'wasm']] as const) {
    const ep = r[name];
    if ('error' in ep) throw new Error(`${name} failed: ${ep.error}`);
    expect(ep.backend.ep).toBe(want);
    expect(ep.y).toHaveLength(15);
    ep.y.forEach((v, i) => expect(Math.abs(v - (ref[i] as number))).toBeLessThan(1e-4));
    expect(ep.yFromUpload).toEqual(ep.y);
    expect(ep.downloaded).toEqual(r.x);
  }
  const gpu = r.webgpu as { backend: { adapter?: string } };
  expect(gpu.backend.adapter).toBeTruthy();
});
