// The Conv rule's fast constructions (per-tap MatMul dw, MatMul zero insertion) against its fallbacks (swapped
// Conv dw, Pad zero insertion) on every Conv/ConvTranspose gradient case plus 3-D and 7×7 kernels: the gradients
// must agree to float32 rounding. The fast paths are also what `npm run gradcheck` checks against finite differences.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGradientGraph, GraphBuilder, op } from '../../../src/onnx/index';
import { convGradOptions } from '../../../src/onnx/autodiff/rules/Conv';
import { Rng } from '../../../src/lib/random';
import type { GradCase } from '../../helpers/finiteDiff';
import { closeness, f32, runBuilder } from '../../helpers/ort';
import { cases as convCases } from './cases/Conv';
import { cases as convTransposeCases } from './cases/ConvTranspose';

const extra: GradCase[] = [
  { name: 'Conv 3-D stride 2 pad 1', build: (b, t) => ({ y: op.Conv(b.input('x', t, [2, 2, 4, 5, 4]), b.input('w', t, [3, 2, 3, 3, 3]), undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) }) },
  { name: 'Conv 7x7 (swapped-Conv dw either way)', build: (b, t) => ({ y: op.Conv(b.input('x', t, [1, 2, 9, 9]), b.input('w', t, [2, 2, 7, 7]), undefined, { pads: [3, 3, 3, 3] }) }) },
  { name: 'Conv 1x1 batch 3 (single-tap MatMul dw)', build: (b, t) => ({ y: op.Conv(b.input('x', t, [3, 4, 3, 2]), b.input('w', t, [5, 4, 1, 1]), b.input('bias', t, [5])) }) },
];

/** Gradients of Σ y·r w.r.t. every input of the case, under the given rule options. */
async function gradients(c: GradCase, options: typeof convGradOptions): Promise<Record<string, Float32Array>> {
  Object.assign(convGradOptions, options);
  const b = new GraphBuilder('paths');
  const { y } = c.build(b, 'float32');
  const rng = new Rng(7);
  const r = b.constant(rng.normalArray(y.shape.reduce<number>((a, d) => a * (d as number), 1)), 'float32', y.shape as number[]);
  b.output(op.ReduceSum(op.Mul(y, r), undefined, false), 'loss');
  const inputs = b.graph.inputs.map((v) => ({ name: v.name, dims: v.shape as number[] }));
  const bw = buildGradientGraph(b.graph, { loss: 'loss', wrt: inputs.map((v) => v.name) });
  const feeds = Object.fromEntries(inputs.map((v) => [v.name, f32(v.dims, rng.normalArray(v.dims.reduce((a, d) => a * d, 1)))]));
  const out = await runBuilder(GraphBuilder.fromGraph(bw.graph), feeds);
  return Object.fromEntries(inputs.map((v) => [v.name, out[bw.grads[v.name] as string]?.data as Float32Array]));
}

describe('the Conv rule fast paths', () => {
  afterEach(() => Object.assign(convGradOptions, { weightGrad: 'im2col', zeroInsert: 'matmul' }));

  for (const c of [...convCases, ...convTransposeCases, ...extra]) {
    it(`match the fallback constructions: ${c.name}`, async () => {
      const fast = await gradients(c, { weightGrad: 'im2col', zeroInsert: 'matmul' });
      const slow = await gradients(c, { weightGrad: 'conv', zeroInsert: 'pad' });
      for (const [name, g] of Object.entries(slow)) {
        expect(fast[name]?.length, name).toBe(g.length);
        expect(closeness(fast[name] as Float32Array, g, 1e-5, 1e-4), name).toBeLessThanOrEqual(1);
      }
    });
  }
});
