// The studio's backend choice by measurement: a software WebGPU adapter (SwiftShader) is labelled as such and is
// not preferred over a faster wasm; a hardware adapter keeps a near-tie; the figures come from the probe runs,
// timed on a stubbed clock (no wall-clock here). Reference: src/runtime/backendChoice.ts, src/workers/backendProbe.ts.
import { describe, expect, it } from 'vitest';
import { HARDWARE_MARGIN, isSoftwareAdapter, pickBackend } from '../../src/runtime/backendChoice';
import type { BackendInfo, Runner, Session } from '../../src/runtime/types';
import { measureBackends, PROBE_RUNS, probeModelBytes } from '../../src/workers/backendProbe';
import { decodeModel } from '../../src/onnx/index';

/** A runner whose every probe run advances the shared clock by `msPerRun`; counts the runs. */
function stubRunner(ep: 'webgpu' | 'wasm', msPerRun: number, clock: { t: number }, runs: string[]): Runner {
  const backend: BackendInfo = { ep, reason: 'stub', isFallback: false };
  return {
    backend,
    async createSession(name: string): Promise<Session> {
      return {
        name, inputNames: ['x'], outputNames: ['y'], backend,
        async run() {
          clock.t += msPerRun;
          runs.push(ep);
          return {};
        },
        async dispose() {},
      } as unknown as Session;
    },
    async upload() {
      throw new Error('not used');
    },
  };
}

describe('when the studio picks its backend', () => {
  it('recognises software adapters by isFallbackAdapter or by the adapter info', () => {
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' } })).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: false, info: { vendor: 'nvidia', architecture: 'hopper' } })).toBe(false);
  });

  it('does not prefer a software adapter over a faster wasm: the stubbed SwiftShader adapter is timed and loses', async () => {
    const clock = { t: 0 };
    const runs: string[] = [];
    const swiftshader: BackendInfo = { ep: 'webgpu', adapter: 'google swiftshader', reason: 'WebGPU adapter found', isFallback: false, isSoftwareAdapter: isSoftwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } }) };
    const m = await measureBackends({
      detect: async () => swiftshader,
      runner: async (ep) => stubRunner(ep, ep === 'wasm' ? 40 : 900, clock, runs),
      now: () => clock.t,
    });
    expect(m.timings).toEqual([{ ep: 'wasm', ms: 40 }, { ep: 'webgpu', ms: 900, isSoftware: true }]);
    expect(m.pick.ep).toBe('wasm');
    expect(m.pick.reason).toBe('measured: wasm 40 ms per probe step, 22.5× faster than WebGPU (software adapter) 900 ms');
    // one warm-up run plus PROBE_RUNS timed runs per EP
    expect(runs.filter((r) => r === 'wasm')).toHaveLength(1 + PROBE_RUNS);
    expect(runs.filter((r) => r === 'webgpu')).toHaveLength(1 + PROBE_RUNS);
  });

  it('a software adapter wins only when strictly faster; a hardware adapter keeps a tie within the margin', () => {
    expect(pickBackend([{ ep: 'wasm', ms: 50 }, { ep: 'webgpu', ms: 50, isSoftware: true }]).ep).toBe('wasm');
    expect(pickBackend([{ ep: 'wasm', ms: 50 }, { ep: 'webgpu', ms: 45, isSoftware: true }]).ep).toBe('webgpu');
    expect(pickBackend([{ ep: 'wasm', ms: 50 }, { ep: 'webgpu', ms: 50 * HARDWARE_MARGIN }]).ep).toBe('webgpu');
    expect(pickBackend([{ ep: 'wasm', ms: 50 }, { ep: 'webgpu', ms: 50 * HARDWARE_MARGIN + 1 }]).ep).toBe('wasm');
  });

  it('times only wasm when the browser offers no adapter, and keeps wasm when WebGPU fails to run the probe', async () => {
    const clock = { t: 0 };
    const runs: string[] = [];
    const none = await measureBackends({ detect: async () => ({ ep: 'wasm', reason: 'no adapter', isFallback: true }), runner: async (ep) => stubRunner(ep, 30, clock, runs), now: () => clock.t });
    expect(none.timings).toEqual([{ ep: 'wasm', ms: 30 }]);
    expect(runs.every((r) => r === 'wasm')).toBe(true);
    const broken = await measureBackends({
      detect: async () => ({ ep: 'webgpu', reason: 'found', isFallback: false }),
      runner: async (ep) => { if (ep === 'webgpu') throw new Error('device lost'); return stubRunner(ep, 30, clock, runs); },
      now: () => clock.t,
    });
    expect(broken.pick).toEqual({ ep: 'wasm', reason: 'wasm (30 ms per probe step; no WebGPU timing)' });
  });

  it('the probe graph is four 3×3 convolutions with ReLU on [1, 64, 32, 32]', () => {
    const g = decodeModel(probeModelBytes()).graph;
    expect(g.nodes.map((n) => n.opType).filter((t) => t !== 'Identity')).toEqual(['Conv', 'Relu', 'Conv', 'Relu', 'Conv', 'Relu', 'Conv', 'Relu']);
    expect(g.initializers.map((t) => t.dims)).toEqual(Array(4).fill([64, 64, 3, 3]));
  });
});
