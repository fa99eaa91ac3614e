// MatMul (2-D, batched, batch-broadcast, 1-D operands) and Softmax (every axis): both runtimes vs the reference.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { refMatMul, refSoftmax, sizeOf } from '../../../helpers/refElementwise';
import { expectBothRuntimes, f32Pair } from './harness';
import type { HostTensor } from '../../../../src/runtime/types';
import type { RefTensor } from '../../../helpers/refElementwise';

/** (name, shape of a, shape of b, expected output shape) */
const MATMUL: [string, number[], number[], number[]][] = [
  ['plain 2-D', [2, 3], [3, 4], [2, 4]],
  ['batched', [2, 2, 3], [2, 3, 4], [2, 2, 4]],
  ['batch-broadcast', [2, 1, 2, 3], [3, 3, 2], [2, 3, 2, 2]],
  ['1-D left', [3], [2, 3, 4], [2, 4]],
  ['1-D right', [2, 2, 3], [3], [2, 2]],
  ['1-D both', [3], [3], []],
];

describe('when multiplying matrices', () => {
  it('infers and computes every numpy matmul case on both runtimes', async () => {
    const rng = new Rng(77);
    const b = new GraphBuilder('matmul');
    const feeds: Record<string, HostTensor> = {};
    const expected: Record<string, RefTensor> = {};
    MATMUL.forEach(([label, sa, sb, out], k) => {
      const x = f32Pair(sa, rng.normalArray(sizeOf(sa)));
      const y = f32Pair(sb, rng.normalArray(sizeOf(sb)));
      feeds[`a${k}`] = x.feed;
      feeds[`b${k}`] = y.feed;
      const z = op.MatMul(b.input(`a${k}`, 'float32', sa), b.input(`b${k}`, 'float32', sb));
      expect(z.shape, label).toEqual(out);
      b.output(z, `z${k}`);
      expected[`z${k}`] = refMatMul(x.ref, y.ref);
    });
    await expectBothRuntimes(b, feeds, expected);
  });

  it('rejects batch dims that do not broadcast', () => {
    const b = new GraphBuilder('bad_matmul');
    expect(() => op.MatMul(b.input('a', 'float32', [2, 2, 3]), b.input('b', 'float32', [3, 3, 4]))).toThrow(/MatMul: shapes \[2\] and \[3\] do not broadcast/);
  });
});

describe('when taking a softmax', () => {
  it('normalises along each axis of a [2,3,4] tensor (positive and negative axes)', async () => {
    const x = f32Pair([2, 3, 4], new Rng(9).normalArray(24, 2));
    const b = new GraphBuilder('softmax');
    const vx = b.input('x', 'float32', [2, 3, 4]);
    const expected: Record<string, RefTensor> = {};
    for (const axis of [0, 1, -1]) {
      b.output(op.Softmax(vx, axis), `s${axis + 1}`);
      expected[`s${axis + 1}`] = refSoftmax(x.ref, axis);
    }
    await expectBothRuntimes(b, { x: x.feed }, expected);
  });

  it('rejects an axis out of range and an integer input', () => {
    const b = new GraphBuilder('bad_softmax');
    expect(() => op.Softmax(b.input('x', 'float32', [2, 3]), 2)).toThrow(/Softmax: axis 2 is out of range for rank 2/);
    expect(() => op.Softmax(b.input('i', 'int64', [2]))).toThrow(/Softmax: input 0 has dtype int64/);
  });
});
