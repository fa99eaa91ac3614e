// LayerNormalization (axis, epsilon, optional bias, Mean/InvStdDev outputs) and InstanceNormalization,
// both runtimes against refNnSpatial.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { randn } from '../../../helpers/refNn';
import { instanceNorm, layerNorm } from '../../../helpers/refNnSpatial';
import { expectBothRuntimes, feed } from './harness';

describe('LayerNormalization', () => {
  const rng = new Rng(40);
  const x = randn(rng, [2, 3, 4]);
  const s1 = randn(rng, [4]);
  const b1 = randn(rng, [4]);
  const s2 = randn(rng, [3, 4]);

  it('normalises the last axis and the last two, with and without bias', async () => {
    const b = new GraphBuilder('layernorm');
    const xi = b.input('x', 'float32', x.shape);
    const [si, bi, s2i] = [b.input('s1', 'float32', s1.shape), b.input('b1', 'float32', b1.shape), b.input('s2', 'float32', s2.shape)];
    b.output(op.LayerNormalization(xi, si, bi), 'last');
    b.output(op.LayerNormalization(xi, s2i, undefined, { axis: 1, epsilon: 1e-3 }), 'two');
    await expectBothRuntimes(b, { x: feed(x), s1: feed(s1), b1: feed(b1), s2: feed(s2) }, {
      last: layerNorm(x, s1, b1, 2, 1e-5).y,
      two: layerNorm(x, s2, undefined, 1, 1e-3).y,
    }, { atol: 1e-4 });
  });

  it('returns Mean and InvStdDev with the documented shapes', async () => {
    const b = new GraphBuilder('layernorm_stats');
    const r = op.LayerNormalizationWithStats(b.input('x', 'float32', x.shape), b.input('s1', 'float32', s1.shape), undefined, { axis: -1 });
    b.output(r.y, 'y');
    b.output(r.mean, 'mean');
    b.output(r.invStdDev, 'inv');
    const ref = layerNorm(x, s1, undefined, 2, 1e-5);
    expect(r.mean.shape).toEqual([2, 3, 1]);
    await expectBothRuntimes(b, { x: feed(x), s1: feed(s1) }, { y: ref.y, mean: ref.mean, inv: ref.invStd }, { atol: 1e-4 });
  });

  it('refuses a scale that does not match the normalised shape', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.LayerNormalization(b.input('x', 'float32', [2, 3, 4]), b.input('s', 'float32', [3]))).toThrow(/scale \[3\] does not broadcast to the normalised shape \[4\]/);
  });
});

describe('InstanceNormalization', () => {
  it('normalises per (n, c) over the spatial axes', async () => {
    const rng = new Rng(41);
    const x = randn(rng, [2, 3, 4, 5]);
    const scale = randn(rng, [3]);
    const bias = randn(rng, [3]);
    const b = new GraphBuilder('instancenorm');
    const y = op.InstanceNormalization(b.input('x', 'float32', x.shape), b.input('s', 'float32', [3]), b.input('b', 'float32', [3]), 1e-5);
    b.output(y, 'y');
    await expectBothRuntimes(b, { x: feed(x), s: feed(scale), b: feed(bias) }, { y: instanceNorm(x, scale, bias, 1e-5) }, { atol: 1e-4 });
  });
});
