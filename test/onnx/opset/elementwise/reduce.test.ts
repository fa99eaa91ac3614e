// Reductions: ReduceSum (axes input) and ReduceMean/Max/Min/Prod/SumSquare (axes attribute at opset 17),
// with keepdims on/off, negative and empty axes, on both runtimes vs the reference; folding; failures.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import type { Var } from '../../../../src/onnx/index';
import { refReduce } from '../../../helpers/refElementwise';
import type { RefTensor } from '../../../helpers/refElementwise';
import { expectBothRuntimes, f32Pair } from './harness';

type ReduceCase = {
  name: string;
  make: (x: Var, axes: number[] | undefined, keepdims: boolean) => Var;
  ref: (x: RefTensor, axes: number[], keepdims: boolean) => RefTensor;
};

const REDUCE: ReduceCase[] = [
  { name: 'ReduceSum', make: (x, a, k) => op.ReduceSum(x, a, k), ref: (x, a, k) => refReduce(x, a, k, 0, (s, v) => s + v) },
  { name: 'ReduceMean', make: (x, a, k) => op.ReduceMean(x, a, k), ref: (x, a, k) => refReduce(x, a, k, 0, (s, v) => s + v, (s, n) => s / n) },
  { name: 'ReduceMax', make: (x, a, k) => op.ReduceMax(x, a, k), ref: (x, a, k) => refReduce(x, a, k, -Infinity, Math.max) },
  { name: 'ReduceMin', make: (x, a, k) => op.ReduceMin(x, a, k), ref: (x, a, k) => refReduce(x, a, k, Infinity, Math.min) },
  { name: 'ReduceProd', make: (x, a, k) => op.ReduceProd(x, a, k), ref: (x, a, k) => refReduce(x, a, k, 1, (p, v) => p * v) },
  { name: 'ReduceSumSquare', make: (x, a, k) => op.ReduceSumSquare(x, a, k), ref: (x, a, k) => refReduce(x, a, k, 0, (s, v) => s + v * v) },
];

/** (axes passed to the constructor, keepdims, output name) */
const VARIANTS: [number[] | undefined, boolean, string][] = [
  [[1], true, 'mid_keep'],
  [[0, -1], false, 'outer_drop'],
  [undefined, false, 'all_drop'],
  [[], true, 'all_keep'],
];

describe('when reducing a [2,3,4] float32 tensor', () => {
  it.each(REDUCE)('$name matches the reference for axes [1], [0,-1], all (keepdims on and off)', async ({ name, make, ref }) => {
    const x = f32Pair([2, 3, 4], new Rng(name.length + 40).uniformArray(24, 0.5, 1.5));
    const b = new GraphBuilder(name);
    const vx = b.input('x', 'float32', [2, 3, 4]);
    const expected: Record<string, RefTensor> = {};
    for (const [axes, keepdims, out] of VARIANTS) {
      b.output(make(vx, axes, keepdims), out);
      expected[out] = ref(x.ref, axes ?? [], keepdims);
    }
    await expectBothRuntimes(b, { x: x.feed }, expected, { atol: 1e-5, rtol: 1e-5 });
  });
});

describe('when reducing known constants', () => {
  it('folds ReduceProd / ReduceMax of an int64 shape and ReduceMean of floats', () => {
    const b = new GraphBuilder('fold');
    const dims = b.constant([2, 3, 4], 'int64');
    expect(Array.from(op.ReduceProd(dims, undefined, false).constValue as BigInt64Array)).toEqual([24n]);
    expect(Array.from(op.ReduceMax(dims).constValue as BigInt64Array)).toEqual([4n]);
    const m = b.constant([1, 2, 3, 5], 'float32', [2, 2]);
    expect(Array.from(op.ReduceMean(m, [1]).constValue as Float32Array)).toEqual([1.5, 4]);
  });
});

describe('when the axes are invalid', () => {
  it('names the axis and the rank when an axis is out of range', () => {
    const b = new GraphBuilder('bad_axis');
    expect(() => op.ReduceMean(b.input('x', 'float32', [2, 3]), [2])).toThrow(/ReduceMean: axis 2 is out of range for rank 2.*float32\[2,3\]/);
  });

  it('rejects an axis named twice', () => {
    const b = new GraphBuilder('dup_axis');
    expect(() => op.ReduceMax(b.input('x', 'float32', [2, 3]), [1, -1])).toThrow(/axes \[1,-1\] name the same axis twice/);
  });
});
