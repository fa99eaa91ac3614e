// Unsqueeze, Squeeze, Flatten, Concat, Expand, Tile: inference, folding and both runtimes vs refNn.ts.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../../src/lib/errors';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { concat, expand, randn, tile } from '../../../helpers/refNn';
import { expectBothRuntimes, feed } from './harness';

describe('Unsqueeze and Squeeze', () => {
  it('insert and remove size-1 axes (negative axes too) in both runtimes', async () => {
    const x = randn(new Rng(1), [2, 3]);
    const b = new GraphBuilder('unsqueeze');
    const xi = b.input('x', 'float32', x.shape);
    b.output(op.Unsqueeze(xi, [0, -1]), 'u');
    b.output(op.Squeeze(op.Unsqueeze(xi, [1]), [1]), 's');
    b.output(op.Squeeze(op.Unsqueeze(xi, [0, 3])), 'all');
    await expectBothRuntimes(b, { x: feed(x) }, { u: { shape: [1, 2, 3, 1], data: x.data }, s: x, all: x });
  });

  it('fold constant shape vectors', () => {
    const b = new GraphBuilder('fold');
    const v = op.Squeeze(op.Unsqueeze(b.ints([4, 5]), [0]), [0]);
    expect(Array.from(v.constValue as BigInt64Array, Number)).toEqual([4, 5]);
  });

  it('refuse repeated axes and squeezing a non-1 axis, naming the shapes', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', [2, 3]);
    expect(() => op.Unsqueeze(x, [0, 0])).toThrow(/repeat.*float32\[2,3\]/);
    expect(() => op.Squeeze(x, [1])).toThrow(GraphError);
    expect(() => op.Squeeze(x, [1])).toThrow(/axis 1 has size 3/);
  });
});

describe('Flatten', () => {
  it('flattens around axis 0, 2 and -1', async () => {
    const x = randn(new Rng(2), [2, 3, 2]);
    const b = new GraphBuilder('flatten');
    const xi = b.input('x', 'float32', x.shape);
    b.output(op.Flatten(xi, 0), 'f0');
    b.output(op.Flatten(xi, 2), 'f2');
    b.output(op.Flatten(xi, -1), 'fm');
    await expectBothRuntimes(b, { x: feed(x) }, { f0: { shape: [1, 12], data: x.data }, f2: { shape: [6, 2], data: x.data }, fm: { shape: [6, 2], data: x.data } });
  });
});

describe('Concat', () => {
  it('joins along middle and negative axes', async () => {
    const rng = new Rng(3);
    const a = randn(rng, [2, 1, 3]);
    const c = randn(rng, [2, 4, 3]);
    const d = randn(rng, [2, 1, 2]);
    const b = new GraphBuilder('concat');
    const [ai, ci, di] = [b.input('a', 'float32', a.shape), b.input('c', 'float32', c.shape), b.input('d', 'float32', d.shape)];
    b.output(op.Concat([ai, ci], 1), 'mid');
    b.output(op.Concat([ai, di], -1), 'last');
    await expectBothRuntimes(b, { a: feed(a), c: feed(c), d: feed(d) }, { mid: concat([a, c], 1), last: concat([a, d], 2) });
  });

  it('folds int64 shape pieces', () => {
    const b = new GraphBuilder('fold');
    const s = op.Concat([b.ints([1, 2]), b.ints([3])], 0);
    expect(Array.from(s.constValue as BigInt64Array, Number)).toEqual([1, 2, 3]);
  });

  it('refuses mismatched off-axis dims', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.Concat([b.input('a', 'float32', [2, 3]), b.input('c', 'float32', [3, 3])], 1)).toThrow(/input 1 shape \[3,3\] differs from \[2,3\]/);
  });
});

describe('Expand and Tile', () => {
  it('broadcast both ways and repeat', async () => {
    const x = randn(new Rng(4), [3, 1]);
    const b = new GraphBuilder('expand');
    const xi = b.input('x', 'float32', x.shape);
    b.output(op.Expand(xi, [2, 1, 4]), 'e');
    b.output(op.Expand(xi, [1]), 'keep');
    b.output(op.Tile(xi, [2, 3]), 't');
    await expectBothRuntimes(b, { x: feed(x) }, { e: expand(x, [2, 1, 4]), keep: x, t: tile(x, [2, 3]) });
  });

  it('refuse incompatible shapes and repeats', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', [3, 2]);
    expect(() => op.Expand(x, [4, 4])).toThrow(/do not broadcast/);
    expect(() => op.Tile(x, [2])).toThrow(/repeats \[2\] must be 2 values/);
  });
});
