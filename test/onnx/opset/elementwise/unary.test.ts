// Unary maths ops (Neg … Sin) and Pow: both runtimes against the TypeScript reference, folding, failures.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../../src/lib/errors';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import type { Var } from '../../../../src/onnx/index';
import { refErf, refMap } from '../../../helpers/refElementwise';
import { expectBothRuntimes, f32Pair } from './harness';

type UnaryCase = { name: string; make: (x: Var) => Var; ref: (x: number) => number; lo: number; hi: number };

const UNARY: UnaryCase[] = [
  { name: 'Neg', make: (x) => op.Neg(x), ref: (x) => -x, lo: -3, hi: 3 },
  { name: 'Abs', make: (x) => op.Abs(x), ref: Math.abs, lo: -3, hi: 3 },
  { name: 'Sqrt', make: (x) => op.Sqrt(x), ref: Math.sqrt, lo: 0.1, hi: 4 },
  { name: 'Exp', make: (x) => op.Exp(x), ref: Math.exp, lo: -3, hi: 3 },
  { name: 'Log', make: (x) => op.Log(x), ref: Math.log, lo: 0.1, hi: 4 },
  { name: 'Reciprocal', make: (x) => op.Reciprocal(x), ref: (x) => 1 / x, lo: 0.2, hi: 3 },
  { name: 'Erf', make: (x) => op.Erf(x), ref: refErf, lo: -2.5, hi: 2.5 },
  { name: 'Tanh', make: (x) => op.Tanh(x), ref: Math.tanh, lo: -3, hi: 3 },
  { name: 'Sigmoid', make: (x) => op.Sigmoid(x), ref: (x) => 1 / (1 + Math.exp(-x)), lo: -4, hi: 4 },
  { name: 'Relu', make: (x) => op.Relu(x), ref: (x) => Math.max(0, x), lo: -2, hi: 2 },
  { name: 'Cos', make: (x) => op.Cos(x), ref: Math.cos, lo: -3, hi: 3 },
  { name: 'Sin', make: (x) => op.Sin(x), ref: Math.sin, lo: -3, hi: 3 },
];

describe('when applying a float32 unary op', () => {
  it.each(UNARY)('$name matches the reference in onnxruntime-node and -web', async ({ name, make, ref, lo, hi }) => {
    const x = f32Pair([2, 3], new Rng(name.length * 7 + 1).uniformArray(6, lo, hi));
    const b = new GraphBuilder(`unary_${name}`);
    b.output(make(b.input('x', 'float32', [2, 3])), 'y');
    await expectBothRuntimes(b, { x: x.feed }, { y: refMap([x.ref], ([v]) => ref(v as number)) }, { atol: 1e-5, rtol: 1e-5 });
  });
});

describe('when raising to a power', () => {
  it('broadcasts a float32 exponent row over the base', async () => {
    const rng = new Rng(11);
    const x = f32Pair([2, 3], rng.uniformArray(6, 0.2, 3));
    const y = f32Pair([3], rng.uniformArray(3, -2, 2));
    const b = new GraphBuilder('pow');
    b.output(op.Pow(b.input('x', 'float32', [2, 3]), b.input('y', 'float32', [3])), 'z');
    await expectBothRuntimes(b, { x: x.feed, y: y.feed }, { z: refMap([x.ref, y.ref], ([p, q]) => Math.pow(p as number, q as number)) });
  });

  it('accepts an int64 exponent and keeps the base dtype', async () => {
    const x = f32Pair([4], Float32Array.from([-1.5, 0.5, 2, 3]));
    const b = new GraphBuilder('pow_int');
    const z = op.Pow(b.input('x', 'float32', [4]), b.constant([3], 'int64', []));
    expect(z.dtype).toBe('float32');
    b.output(z, 'z');
    await expectBothRuntimes(b, { x: x.feed }, { z: refMap([x.ref], ([p]) => Math.pow(p as number, 3)) });
  });
});

describe('when every input is a known constant', () => {
  it('folds unary maths and Pow at build time', () => {
    const b = new GraphBuilder('fold');
    const c = b.constant([1, 4, 9], 'float32');
    expect(Array.from(op.Sqrt(c).constValue as Float32Array)).toEqual([1, 2, 3]);
    expect(Array.from(op.Neg(b.constant([2, -5], 'int64')).constValue as BigInt64Array)).toEqual([-2n, 5n]);
    expect(Array.from(op.Pow(c, b.scalar(0.5)).constValue as Float32Array)).toEqual([1, 2, 3]);
    expect(op.Erf(c).constValue).toBeUndefined();
  });
});

describe('when the inputs are invalid', () => {
  it('rejects a float-only op on int64 and names the dtype', () => {
    const b = new GraphBuilder('bad_sqrt');
    expect(() => op.Sqrt(b.input('i', 'int64', [3]))).toThrow(/Sqrt: input 0 has dtype int64, expected one of float32/);
  });

  it('rejects Pow operands that do not broadcast and names the shapes', () => {
    const b = new GraphBuilder('bad_pow');
    const call = () => op.Pow(b.input('x', 'float32', [2, 3]), b.input('y', 'float32', [4]));
    expect(call).toThrow(GraphError);
    expect(() => op.Pow(b.get('x'), b.get('y'))).toThrow(/shapes \[2,3\] and \[4\] do not broadcast/);
  });
});
