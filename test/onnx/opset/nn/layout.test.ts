// Reshape (0 copies a dim, -1 is inferred, folding) and Transpose (default reverse, explicit perm), both runtimes.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { randn } from '../../../helpers/refNn';
import { transpose } from '../../../helpers/refNnSpatial';
import { expectBothRuntimes, feed } from './harness';

describe('Reshape', () => {
  it('keeps row-major order with 0 and -1 in the target', async () => {
    const x = randn(new Rng(90), [2, 3, 4]);
    const b = new GraphBuilder('reshape');
    const xi = b.input('x', 'float32', x.shape);
    b.output(op.Reshape(xi, [0, -1]), 'keep0');
    b.output(op.Reshape(xi, [-1, 2, 2]), 'infer');
    b.output(op.Reshape(xi, [4, 0, 2]), 'mid0');
    await expectBothRuntimes(b, { x: feed(x) }, { keep0: { shape: [2, 12], data: x.data }, infer: { shape: [6, 2, 2], data: x.data }, mid0: { shape: [4, 3, 2], data: x.data } });
  });

  it('takes a shape built from folded Concat/Gather pieces', () => {
    const b = new GraphBuilder('fold');
    const x = b.input('x', 'float32', [2, 3, 4]);
    const dims = b.ints([2, 3, 4]);
    const target = op.Concat([op.Gather(dims, [0]), b.ints([-1])], 0);
    expect(op.Reshape(x, target).shape).toEqual([2, 12]);
  });

  it('refuses two -1 and an element-count mismatch', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', [2, 3]);
    expect(() => op.Reshape(x, [-1, -1])).toThrow(/more than one -1/);
    expect(() => op.Reshape(x, [4, 2])).toThrow(/\[4,2\] has 8 elements, input has 6/);
  });
});

describe('Transpose', () => {
  it('reverses axes by default and follows an explicit perm', async () => {
    const x = randn(new Rng(91), [2, 3, 4]);
    const b = new GraphBuilder('transpose');
    const xi = b.input('x', 'float32', x.shape);
    b.output(op.Transpose(xi), 'rev');
    b.output(op.Transpose(xi, [0, 2, 1]), 'swap');
    b.output(op.Transpose(xi, [1, 2, 0]), 'rot');
    await expectBothRuntimes(b, { x: feed(x) }, { rev: transpose(x, [2, 1, 0]), swap: transpose(x, [0, 2, 1]), rot: transpose(x, [1, 2, 0]) });
  });

  it('refuses a perm that is not a permutation', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.Transpose(b.input('x', 'float32', [2, 3]), [0, 0])).toThrow(/perm \[0,0\] is not a permutation of rank 2/);
  });
});
