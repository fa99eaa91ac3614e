// Add, Sub, Mul, Div (numpy broadcasting) and Identity: both runtimes vs the reference, folding, failures.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../../src/lib/errors';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import type { Var } from '../../../../src/onnx/index';
import { refMap } from '../../../helpers/refElementwise';
import { expectBothRuntimes, f32Pair } from './harness';
import type { HostTensor } from '../../../../src/runtime/types';
import type { RefTensor } from '../../../helpers/refElementwise';

type BinaryCase = { name: string; make: (a: Var, b: Var) => Var; ref: (a: number, b: number) => number };

const BINARY: BinaryCase[] = [
  { name: 'Add', make: (a, b) => op.Add(a, b), ref: (a, b) => a + b },
  { name: 'Sub', make: (a, b) => op.Sub(a, b), ref: (a, b) => a - b },
  { name: 'Mul', make: (a, b) => op.Mul(a, b), ref: (a, b) => a * b },
  { name: 'Div', make: (a, b) => op.Div(a, b), ref: (a, b) => a / b },
];

/** (shape of a, shape of c) pairs: same shape, row vector, column vs row, scalar, rank-raising. */
const SHAPES: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[2, 1], [1, 3]],
  [[2, 3], []],
  [[3], [2, 1, 3]],
];

describe('when combining float32 tensors elementwise', () => {
  it.each(BINARY)('$name broadcasts like numpy on both runtimes', async ({ name, make, ref }) => {
    const rng = new Rng(name.charCodeAt(0));
    const b = new GraphBuilder(`bin_${name}`);
    const feeds: Record<string, HostTensor> = {};
    const expected: Record<string, RefTensor> = {};
    SHAPES.forEach(([sa, sc], k) => {
      const a = f32Pair(sa, rng.uniformArray(sa.reduce((p, d) => p * d, 1), 0.5, 2));
      const c = f32Pair(sc, rng.uniformArray(sc.reduce((p, d) => p * d, 1), -2, -0.5));
      feeds[`a${k}`] = a.feed;
      feeds[`c${k}`] = c.feed;
      b.output(make(b.input(`a${k}`, 'float32', sa), b.input(`c${k}`, 'float32', sc)), `y${k}`);
      expected[`y${k}`] = refMap([a.ref, c.ref], ([p, q]) => ref(p as number, q as number));
    });
    await expectBothRuntimes(b, feeds, expected);
  });

  it('Identity returns its input', async () => {
    const x = f32Pair([2, 2], new Rng(1).normalArray(4));
    const b = new GraphBuilder('identity');
    b.output(op.Identity(b.input('x', 'float32', [2, 2])), 'y');
    await expectBothRuntimes(b, { x: x.feed }, { y: x.ref });
  });
});

describe('when the operands are known constants', () => {
  it('folds int64 shape arithmetic', () => {
    const b = new GraphBuilder('fold');
    const dims = b.constant([2, 8], 'int64');
    expect(Array.from(op.Div(op.Mul(dims, b.scalar(3, 'int64')), b.scalar(2, 'int64')).constValue as BigInt64Array)).toEqual([3n, 12n]);
    expect(Array.from(op.Sub(op.Add(dims, dims), b.scalar(1, 'int64')).constValue as BigInt64Array)).toEqual([3n, 15n]);
  });
});

describe('when the operands do not fit', () => {
  it('names both shapes when they do not broadcast', () => {
    const b = new GraphBuilder('bad_shapes');
    const a = b.input('a', 'float32', [2, 3]);
    const c = b.input('c', 'float32', [2]);
    expect(() => op.Add(a, c)).toThrow(GraphError);
    expect(() => op.Mul(a, c)).toThrow(/Mul: shapes \[2,3\] and \[2\] do not broadcast.*float32\[2,3\], float32\[2\]/);
  });

  it('names both dtypes when they differ', () => {
    const b = new GraphBuilder('bad_dtypes');
    expect(() => op.Sub(b.input('a', 'float32', [2]), b.input('i', 'int64', [2]))).toThrow(/Sub: dtypes differ: float32 vs int64/);
  });
});
