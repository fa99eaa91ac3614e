// @webgpu: a generated backward graph composed with an AdamW update runs in Chromium on the WebGPU EP
// (CPU fallback disabled) and on wasm for 3 steps; losses and parameters match onnxruntime-node.
import { expect, test } from '@playwright/test';
import { createNodeRunner } from '../src/runtime/node';
import type { HostTensor } from '../src/runtime/types';
import { buildBackwardModel, buildTrainStepModel, initialFeeds, trainSteps } from './pages/trainStepGraph';
import type { F32 } from './pages/trainStepGraph';
import { skipWithoutWebGpu } from './webgpuAdapter';

type Ep = { backend: { ep: string }; losses: number[]; params: Record<string, number[]>; grads: Record<string, number[]> } | { error: string };

async function nodeGradients(): Promise<Record<string, number[]>> {
  const session = await createNodeRunner({ threads: 1 }).createSession('backward-node', buildBackwardModel());
  const { state, batch } = initialFeeds();
  const feeds = Object.fromEntries(Object.entries({ ...state, ...batch }).filter(([k]) => session.inputNames.includes(k)).map(([k, v]) => [k, { dtype: 'float32', dims: v.dims, data: v.data } as HostTensor]));
  const out = (await session.run(feeds)) as Record<string, HostTensor>;
  await session.dispose();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as Float32Array)]));
}

async function nodeReference(): Promise<{ losses: number[]; params: Record<string, number[]> }> {
  const session = await createNodeRunner({ threads: 1 }).createSession('train-step-node', buildTrainStepModel());
  const run = async (feeds: Record<string, F32>): Promise<Record<string, F32>> => {
    const host = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { dtype: 'float32', dims: v.dims, data: v.data } as HostTensor]));
    const out = (await session.run(host)) as Record<string, HostTensor>;
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { dims: v.dims, data: v.data as Float32Array }]));
  };
  try {
    return await trainSteps(run, 3);
  } finally {
    await session.dispose();
  }
}

test('backward + AdamW step graph runs on WebGPU (no CPU fallback) and wasm, matching onnxruntime-node @webgpu', async ({ page }) => {
  await page.goto('/e2e/pages/train-step.html');
  await skipWithoutWebGpu(page);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 170_000 });
  const r = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as { webgpu: Ep; wasm: Ep };
  const ref = await nodeReference();
  const refGrads = await nodeGradients();
  expect(ref.losses[2]!).toBeLessThan(ref.losses[0]!);
  for (const name of ['webgpu', 'wasm'] as const) {
    const ep = r[name];
    if ('error' in ep) throw new Error(`${name} failed: ${ep.error}`);
    expect(ep.backend.ep).toBe(name);
    for (const [g, values] of Object.entries(refGrads)) {
      const got = ep.grads[g]!;
      const worst = Math.max(...values.map((v, i) => Math.abs(v - got[i]!)));
      expect(worst, `${name} ${g}`).toBeLessThan(1e-4 * Math.max(1, ...values.map(Math.abs)));
    }
    ep.losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.losses[i]!))));
    for (const [p, values] of Object.entries(ref.params)) {
      const got = ep.params[p]!;
      expect(got).toHaveLength(values.length);
      const worst = Math.max(...values.map((v, i) => Math.abs(v - got[i]!)));
      expect(worst, `${name} ${p}`).toBeLessThan(2e-4);
    }
  }
});
