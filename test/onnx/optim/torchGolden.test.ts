// AdamW, Adam, SGD and SGD-Nesterov graphs (and the TS reference) against torch 1.13.1 golden values:
// 5 steps with clip_grad_norm_(1.5), made by torchGolden.py (float64). Tolerance: graph 2e-6 abs + 1e-5 rel
// (float32), TS reference 1e-12.
import { describe, expect, it } from 'vitest';
import { buildAdamGraph, buildAdamWGraph, buildSgdGraph } from '../../../src/onnx/index';
import type { OptimizerGraph } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';
import { closeness, f32 } from '../../helpers/ort';
import { adamRefStep, clipRef, runGraph, scalarF32, sgdRefStep, values } from './reference';

const TORCH: Record<string, number[]> = {
  adamw: [0.4922219189707164, -1.4612252585789327, 0.03439760350633102],
  adam: [0.5083751135954062, -1.5051829617242947, 0.041821464142550224],
  sgd: [0.042350664809928065, -1.0059881621851172, -0.7262316764717427],
  sgdn: [-0.3039349293406117, -0.7541217689862009, -0.9830538604559507],
};
const P = [{ name: 'p', shape: [3] }];
const adamH = { beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.05, maxGradNorm: 1.5 };
const sgdH = { momentum: 0.9, weightDecay: 0.05, maxGradNorm: 1.5 };
const GRAPHS: Record<string, () => OptimizerGraph> = {
  adamw: () => buildAdamWGraph(P, adamH),
  adam: () => buildAdamGraph(P, adamH),
  sgd: () => buildSgdGraph(P, sgdH),
  sgdn: () => buildSgdGraph(P, { ...sgdH, nesterov: true }),
};
const gradAt = (t: number): number[] => [0.3 * t, -1 + 0.1 * t, 2 / t];

async function runGraphSteps(o: OptimizerGraph): Promise<number[]> {
  let state: Record<string, number[]> = { p: [1, -2, 0.5] };
  for (const s of o.slots) state[`${s}/p`] = [0, 0, 0];
  for (let t = 1; t <= 5; t++) {
    const feeds: Record<string, HostTensor> = { 'grad/p': f32([3], gradAt(t)), lr: scalarF32(0.1), step: scalarF32(t) };
    for (const [k, v] of Object.entries(state)) feeds[k] = f32([3], v);
    const out = await runGraph(o.graph, feeds);
    state = Object.fromEntries(Object.keys(state).map((k) => [k, values(out, `${k}/next`)]));
  }
  return state.p as number[];
}

function runReference(kind: string): number[] {
  const s = { params: [[1, -2, 0.5]], m: [[0, 0, 0]], v: [[0, 0, 0]], step: 0 };
  const buf = [[0, 0, 0]];
  for (let t = 1; t <= 5; t++) {
    const g = clipRef([gradAt(t)], 1.5).grads;
    if (kind.startsWith('adam')) adamRefStep(s, g, { lr: 0.1, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.05, decoupled: kind === 'adamw' });
    else sgdRefStep(s.params, buf, g, { lr: 0.1, momentum: 0.9, nesterov: kind === 'sgdn', weightDecay: 0.05 });
  }
  return s.params[0] as number[];
}

describe('when compared with torch 1.13 over 5 clipped steps', () => {
  for (const kind of Object.keys(TORCH)) {
    it(`${kind}: the update graph and the TS reference match torch`, async () => {
      expect(closeness(runReference(kind), TORCH[kind] as number[], 1e-12, 0)).toBeLessThanOrEqual(1);
      expect(closeness(await runGraphSteps((GRAPHS[kind] as () => OptimizerGraph)()), TORCH[kind] as number[], 2e-6, 1e-5)).toBeLessThanOrEqual(1);
    });
  }
});
