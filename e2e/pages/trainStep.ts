// Browser test page: the fused forward + backward + AdamW graph of trainStepGraph.ts, stepped 3 times on the
// WebGPU EP (CPU fallback disabled) and on wasm. Results go to window.__result for e2e/trainStep.spec.ts.
import { initRuntime } from '../../src/runtime/index';
import type { HostTensor } from '../../src/runtime/index';
import { buildBackwardModel, buildTrainStepModel, initialFeeds, trainSteps } from './trainStepGraph';
import type { F32 } from './trainStepGraph';

async function runOn(prefer: 'webgpu' | 'wasm', bytes: Uint8Array): Promise<unknown> {
  try {
    const runner = await initRuntime({ prefer });
    const session = await runner.createSession(`train-step-${prefer}`, bytes, { disableCpuFallback: prefer === 'webgpu' });
    const run = async (feeds: Record<string, F32>): Promise<Record<string, F32>> => {
      const host = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { dtype: 'float32', dims: v.dims, data: v.data } as HostTensor]));
      const out = (await session.run(host)) as Record<string, HostTensor>;
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { dims: v.dims, data: v.data as Float32Array }]));
    };
    const result = await trainSteps(run, 3);
    await session.dispose();
    const gradSession = await runner.createSession(`backward-${prefer}`, buildBackwardModel(), { disableCpuFallback: prefer === 'webgpu' });
    const { state, batch } = initialFeeds();
    const feeds = Object.fromEntries(Object.entries({ ...state, ...batch }).filter(([k]) => gradSession.inputNames.includes(k)).map(([k, v]) => [k, { dtype: 'float32', dims: v.dims, data: v.data } as HostTensor]));
    const g = (await gradSession.run(feeds)) as Record<string, HostTensor>;
    await gradSession.dispose();
    const grads = Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Array.from(v.data as Float32Array)]));
    return { backend: runner.backend, ...result, grads };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

async function main(): Promise<void> {
  const bytes = buildTrainStepModel();
  const result = { webgpu: await runOn('webgpu', bytes), wasm: await runOn('wasm', bytes) };
  (window as unknown as { __result: unknown }).__result = result;
  document.getElementById('out')!.textContent = JSON.stringify(result).slice(0, 2000);
}

void main();
