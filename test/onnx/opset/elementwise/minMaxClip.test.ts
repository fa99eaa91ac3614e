// Max, Min (variadic, broadcasting) and Clip (optional min/max inputs): both runtimes vs the reference.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { refMap } from '../../../helpers/refElementwise';
import { expectBothRuntimes, f32Pair } from './harness';

describe('when taking elementwise Max / Min', () => {
  it('broadcasts three inputs of different shapes', async () => {
    const rng = new Rng(21);
    const a = f32Pair([2, 3], rng.normalArray(6));
    const c = f32Pair([3], rng.normalArray(3));
    const d = f32Pair([2, 1], rng.normalArray(2));
    const b = new GraphBuilder('maxmin');
    const [va, vc, vd] = [b.input('a', 'float32', [2, 3]), b.input('c', 'float32', [3]), b.input('d', 'float32', [2, 1])];
    b.output(op.Max(va, vc, vd), 'hi');
    b.output(op.Min(va, vc, vd), 'lo');
    const feeds = { a: a.feed, c: c.feed, d: d.feed };
    const hi = refMap([a.ref, c.ref, d.ref], (xs) => Math.max(...xs));
    const lo = refMap([a.ref, c.ref, d.ref], (xs) => Math.min(...xs));
    await expectBothRuntimes(b, feeds, { hi, lo });
  });

  it('rejects mixed dtypes', () => {
    const b = new GraphBuilder('bad_max');
    expect(() => op.Max(b.input('a', 'float32', [2]), b.input('i', 'int64', [2]))).toThrow(/Max: dtypes differ: input 0 is float32, input 1 is int64/);
  });
});

describe('when clipping', () => {
  const x = f32Pair([2, 3], new Rng(8).uniformArray(6, -3, 3));

  it('clamps to both bounds, to only a max, and to only a min', async () => {
    const b = new GraphBuilder('clip');
    const vx = b.input('x', 'float32', [2, 3]);
    b.output(op.Clip(vx, -1, 1.5), 'both');
    b.output(op.Clip(vx, undefined, 0.5), 'upper');
    b.output(op.Clip(vx, b.scalar(-0.25)), 'lower');
    const expected = {
      both: refMap([x.ref], ([v]) => Math.min(1.5, Math.max(-1, v as number))),
      upper: refMap([x.ref], ([v]) => Math.min(0.5, v as number)),
      lower: refMap([x.ref], ([v]) => Math.max(-0.25, v as number)),
    };
    await expectBothRuntimes(b, { x: x.feed }, expected);
  });

  it('folds constants and rejects non-scalar bounds', () => {
    const b = new GraphBuilder('clip_fold');
    expect(Array.from(op.Clip(b.constant([-5, 0, 5], 'float32'), -1, 2).constValue as Float32Array)).toEqual([-1, 0, 2]);
    expect(Array.from(op.Clip(b.constant([-5, 5], 'float32'), undefined, 2).constValue as Float32Array)).toEqual([-5, 2]);
    const bound = b.constant([0, 1], 'float32');
    expect(() => op.Clip(b.input('y', 'float32', [2]), bound)).toThrow(/input 1 \(min\) must be a scalar, got shape \[2\]/);
  });
});
