// AdamW update graph: one step against hand-computed numbers, 20 steps against the float64 TS reference,
// clipping by global norm, gradient accumulation scaling, the NaN/Inf guard, and argument errors.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { buildAdamWGraph } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';
import { Rng } from '../../../src/lib/random';
import { closeness, f32, wasmOrt } from '../../helpers/ort';
import { adamRefStep, clipRef, runGraph, scalarF32, values } from './reference';
import type { RefState } from './reference';

const W = { name: 'w', shape: [2] };

function feedsFor(p: number[], g: number[], m: number[], v: number[], lr: number, step: number): Record<string, HostTensor> {
  return { w: f32([2], p), 'grad/w': f32([2], g), 'm/w': f32([2], m), 'v/w': f32([2], v), lr: scalarF32(lr), step: scalarF32(step) };
}

describe('when AdamW takes its first step', () => {
  it('matches the hand-computed update: θ(1−ηλ) − η·sign(g), m = 0.1g, v = 0.001g²', async () => {
    // p = [1, −2], g = [0.5, −0.1], η = 0.1, λ = 0.01, t = 1: bc1 = 0.1, bc2 = 0.001, so m̂/√v̂ = g/|g| and
    // θ' = θ·0.999 − 0.1·sign(g) = [0.899, −1.898]; m' = [0.05, −0.01]; v' = [2.5e-4, 1e-5].
    const out = await runGraph(buildAdamWGraph([W]).graph, feedsFor([1, -2], [0.5, -0.1], [0, 0], [0, 0], 0.1, 1));
    expect(closeness(values(out, 'w/next'), [0.899, -1.898], 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(values(out, 'm/w/next'), [0.05, -0.01], 1e-9, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(values(out, 'v/w/next'), [2.5e-4, 1e-5], 1e-12, 1e-5)).toBeLessThanOrEqual(1);
    expect(values(out, 'gradNorm')[0]).toBeCloseTo(Math.sqrt(0.26), 6);
    expect(values(out, 'skipped')).toEqual([0]);
  });
});

describe('when AdamW runs 20 steps on two parameters', () => {
  it('tracks the float64 reference (torch semantics) within 1e-5 relative', async () => {
    const params = [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [3] }];
    const graph = buildAdamWGraph(params, { beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.05, maxGradNorm: 2 }).graph;
    const rng = new Rng(7);
    const normal = (n: number, scale = 1): number[] => Array.from(rng.normalArray(n), (x) => x * scale);
    const ref: RefState = { params: [normal(6), normal(3)], m: [Array(6).fill(0), Array(3).fill(0)], v: [Array(6).fill(0), Array(3).fill(0)], step: 0 };
    const shapes: Record<string, number[]> = { a: [2, 3], 'm/a': [2, 3], 'v/a': [2, 3], b: [3], 'm/b': [3], 'v/b': [3] };
    const cur: Record<string, number[]> = { a: [...(ref.params[0] as number[])], b: [...(ref.params[1] as number[])] };
    for (const k of ['m/a', 'v/a']) cur[k] = Array(6).fill(0);
    for (const k of ['m/b', 'v/b']) cur[k] = Array(3).fill(0);
    for (let t = 1; t <= 20; t++) {
      const grads = [normal(6, 1.5), normal(3)];
      const lr = 0.05 / t;
      const feeds: Record<string, HostTensor> = { lr: scalarF32(lr), step: scalarF32(t), 'grad/a': f32([2, 3], grads[0] as number[]), 'grad/b': f32([3], grads[1] as number[]) };
      for (const [k, v] of Object.entries(cur)) feeds[k] = f32(shapes[k] as number[], v);
      const out = await runGraph(graph, feeds);
      const clipped = clipRef(grads, 2);
      adamRefStep(ref, clipped.grads, { lr, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.05, decoupled: true });
      expect(values(out, 'gradNorm')[0]).toBeCloseTo(clipped.norm, 4);
      for (const k of Object.keys(cur)) cur[k] = values(out, `${k}/next`);
    }
    expect(closeness(cur.a as number[], ref.params[0] as number[], 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    expect(closeness(cur.b as number[], ref.params[1] as number[], 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    expect(closeness(cur['v/a'] as number[], ref.v[0] as number[], 1e-9, 1e-5)).toBeLessThanOrEqual(1);
  });
});

describe('when gradients are clipped or accumulated', () => {
  it('scales by maxNorm/(‖g‖+1e-6) above the threshold and reports the unclipped norm', async () => {
    // g = [3, 4], ‖g‖ = 5, maxNorm 1: clipped g = [0.6, 0.8]/(1+2e-7); m' = 0.1·clipped g.
    const out = await runGraph(buildAdamWGraph([W], { maxGradNorm: 1 }).graph, feedsFor([0, 0], [3, 4], [0, 0], [0, 0], 0.1, 1));
    expect(values(out, 'gradNorm')[0]).toBeCloseTo(5, 6);
    expect(closeness(values(out, 'm/w/next'), [0.06 / (1 + 2e-7), 0.08 / (1 + 2e-7)], 1e-9, 1e-6)).toBeLessThanOrEqual(1);
  });

  it('leaves gradients below the threshold unchanged', async () => {
    const out = await runGraph(buildAdamWGraph([W], { maxGradNorm: 10 }).graph, feedsFor([0, 0], [3, 4], [0, 0], [0, 0], 0.1, 1));
    expect(closeness(values(out, 'm/w/next'), [0.3, 0.4], 1e-9, 1e-6)).toBeLessThanOrEqual(1);
  });

  it('divides summed micro-batch gradients by accumulationSteps before the norm', async () => {
    const out = await runGraph(buildAdamWGraph([W], { accumulationSteps: 4 }).graph, feedsFor([0, 0], [3, 4], [0, 0], [0, 0], 0.1, 1));
    expect(values(out, 'gradNorm')[0]).toBeCloseTo(1.25, 6);
    expect(closeness(values(out, 'm/w/next'), [0.075, 0.1], 1e-9, 1e-6)).toBeLessThanOrEqual(1);
  });
});

describe('when a gradient is not finite', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    it(`skips the step for ${bad}: every output equals its input and skipped = 1`, async () => {
      const out = await runGraph(buildAdamWGraph([W], { maxGradNorm: 1 }).graph, feedsFor([1, -2], [bad, 0.5], [0.1, 0.2], [0.3, 0.4], 0.1, 3));
      expect(values(out, 'skipped')).toEqual([1]);
      expect(values(out, 'w/next')).toEqual(Array.from(Float32Array.of(1, -2)));
      expect(values(out, 'm/w/next')).toEqual(Array.from(Float32Array.of(0.1, 0.2)));
      expect(values(out, 'v/w/next')).toEqual(Array.from(Float32Array.of(0.3, 0.4)));
      expect(Number.isFinite(values(out, 'gradNorm')[0])).toBe(false);
    });
  }
});

describe('when run on onnxruntime-web (wasm) in Node', () => {
  it('gives the same clipped step and the same NaN skip as onnxruntime-node', async () => {
    const graph = buildAdamWGraph([W], { maxGradNorm: 1 }).graph;
    const ok = feedsFor([1, -2], [3, 4], [0.1, 0.2], [0.3, 0.4], 0.1, 2);
    const [node, wasm] = [await runGraph(graph, ok), await runGraph(graph, ok, await wasmOrt())];
    expect(closeness(values(wasm, 'w/next'), values(node, 'w/next'), 1e-7, 1e-6)).toBeLessThanOrEqual(1);
    const bad = await runGraph(graph, feedsFor([1, -2], [Number.NaN, 4], [0.1, 0.2], [0.3, 0.4], 0.1, 2), await wasmOrt());
    expect(values(bad, 'skipped')).toEqual([1]);
    expect(values(bad, 'w/next')).toEqual([1, -2]);
  });
});

describe('when the arguments are wrong', () => {
  it('names the problem', () => {
    expect(() => buildAdamWGraph([])).toThrow(GraphError);
    expect(() => buildAdamWGraph([W, W])).toThrow(/listed twice/);
    expect(() => buildAdamWGraph([W], { beta1: 1 })).toThrow(/beta1 must be in \[0, 1\), got 1/);
    expect(() => buildAdamWGraph([W], { maxGradNorm: 0 })).toThrow(/maxGradNorm must be a finite number > 0, got 0/);
    expect(() => buildAdamWGraph([W], { accumulationSteps: 1.5 })).toThrow(/accumulationSteps must be an integer/);
  });

  it('declares the documented inputs and outputs', () => {
    const g = buildAdamWGraph([W]).graph;
    expect(g.inputs.map((i) => i.name)).toEqual(['w', 'grad/w', 'm/w', 'v/w', 'lr', 'step']);
    expect(g.outputs.map((o) => o.name)).toEqual(['w/next', 'm/w/next', 'v/w/next', 'gradNorm', 'skipped']);
  });
});
