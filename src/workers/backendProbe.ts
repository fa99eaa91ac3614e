// Times one small step on each execution provider the browser has (wasm always, WebGPU when an adapter exists)
// so the studio can run on the faster one (runtime/backendChoice.ts pickBackend). The probe is a UNet-like block
// built with the project's graph builder: four 3×3 convolutions of 64 channels at 32×32 with ReLU (about
// 0.3 GFLOP). Each EP compiles and runs it once (warm-up: shader compilation and wasm first-call costs), then
// runs it PROBE_RUNS times; the median is that EP's figure. Used by generation.worker.ts at load.
import { encodeModel, GraphBuilder, op } from '../onnx/index';
import type { BackendInfo, BackendTiming, Runner } from '../runtime/index';
import { pickBackend } from '../runtime/index';
import type { BackendPick } from '../runtime/index';

export const PROBE_RUNS = 3;
const CHANNELS = 64;
const SIDE = 32;

/** The probe graph's bytes: x [1, 64, 32, 32] → 4 × (Conv 3×3 + ReLU) → y. Weights are small fixed values. */
export function probeModelBytes(): Uint8Array {
  const b = new GraphBuilder('backend-probe');
  let x = b.input('x', 'float32', [1, CHANNELS, SIDE, SIDE]);
  for (let i = 0; i < 4; i++) {
    const w = b.param(`w${i}`, 'float32', [CHANNELS, CHANNELS, 3, 3], Float32Array.from({ length: CHANNELS * CHANNELS * 9 }, (_, k) => ((k * 7919 + i) % 97) / 97 - 0.5).map((v) => v * 0.05));
    x = op.Relu(op.Conv(x, w, undefined, { pads: [1, 1, 1, 1] }));
  }
  b.output(x, 'y');
  return encodeModel(b.toModel());
}

export type ProbeDeps = {
  /** the backend the browser offers with prefer 'auto' (web.ts detectBackend) */
  detect(): Promise<BackendInfo>;
  /** a runner forced to `ep` (web.ts initRuntime({ prefer: ep })) */
  runner(ep: 'webgpu' | 'wasm'): Promise<Runner>;
  /** a clock in ms (performance.now in the browser) */
  now(): number;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** One EP's probe figure, or undefined when the EP cannot run the probe (its error is not the user's problem here). */
async function timeOne(deps: ProbeDeps, ep: 'webgpu' | 'wasm', bytes: Uint8Array, isSoftware: boolean | undefined): Promise<BackendTiming | undefined> {
  try {
    const runner = await deps.runner(ep);
    const session = await runner.createSession(`backend probe (${ep})`, bytes, { disableCpuFallback: ep === 'webgpu' });
    try {
      const x = { dtype: 'float32' as const, dims: [1, CHANNELS, SIDE, SIDE], data: new Float32Array(CHANNELS * SIDE * SIDE).fill(0.1) };
      await session.run({ x });
      const times: number[] = [];
      for (let i = 0; i < PROBE_RUNS; i++) {
        const t0 = deps.now();
        await session.run({ x });
        times.push(deps.now() - t0);
      }
      return { ep, ms: median(times), ...(ep === 'webgpu' ? { isSoftware: isSoftware === true } : {}) };
    } finally {
      await session.dispose();
    }
  } catch {
    return undefined;
  }
}

export type Measured = { timings: BackendTiming[]; pick: BackendPick };

/** Times wasm, and WebGPU when the browser has an adapter; picks the faster (backendChoice.ts rules). */
export async function measureBackends(deps: ProbeDeps): Promise<Measured> {
  const offered = await deps.detect().catch(() => undefined);
  const bytes = probeModelBytes();
  const timings: BackendTiming[] = [];
  const wasm = await timeOne(deps, 'wasm', bytes, undefined);
  if (wasm) timings.push(wasm);
  if (offered?.ep === 'webgpu') {
    const gpu = await timeOne(deps, 'webgpu', bytes, offered.isSoftwareAdapter);
    if (gpu) timings.push(gpu);
  }
  return { timings, pick: pickBackend(timings) };
}
