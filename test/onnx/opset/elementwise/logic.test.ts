// Comparisons (Equal, Less, Greater, LessOrEqual, GreaterOrEqual), logical ops (And, Or, Xor, Not), Where,
// IsNaN and IsInf: bool outputs on both runtimes against the TypeScript reference, folding, failures.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import type { Var } from '../../../../src/onnx/index';
import { refMap } from '../../../helpers/refElementwise';
import { boolPair, expectBothRuntimes, f32Pair } from './harness';

type BinaryCase = { name: string; make: (a: Var, b: Var) => Var; ref: (a: number, b: number) => boolean };

const COMPARE: BinaryCase[] = [
  { name: 'Equal', make: (a, b) => op.Equal(a, b), ref: (a, b) => a === b },
  { name: 'Less', make: (a, b) => op.Less(a, b), ref: (a, b) => a < b },
  { name: 'Greater', make: (a, b) => op.Greater(a, b), ref: (a, b) => a > b },
  { name: 'LessOrEqual', make: (a, b) => op.LessOrEqual(a, b), ref: (a, b) => a <= b },
  { name: 'GreaterOrEqual', make: (a, b) => op.GreaterOrEqual(a, b), ref: (a, b) => a >= b },
];

const LOGICAL: BinaryCase[] = [
  { name: 'And', make: (a, b) => op.And(a, b), ref: (a, b) => !!a && !!b },
  { name: 'Or', make: (a, b) => op.Or(a, b), ref: (a, b) => !!a || !!b },
  { name: 'Xor', make: (a, b) => op.Xor(a, b), ref: (a, b) => !!a !== !!b },
];

/** Small integers as float32, so equality actually happens. */
function smallInts(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.int(-2, 2));
}

describe('when comparing float32 tensors with broadcasting', () => {
  it.each(COMPARE)('$name gives the reference bool tensor', async ({ name, make, ref }) => {
    const rng = new Rng(name.length + 100);
    const a = f32Pair([2, 3], smallInts(rng, 6));
    const c = f32Pair([3], smallInts(rng, 3));
    const b = new GraphBuilder(`cmp_${name}`);
    const y = make(b.input('a', 'float32', [2, 3]), b.input('c', 'float32', [3]));
    expect(y.dtype).toBe('bool');
    b.output(y, 'y');
    await expectBothRuntimes(b, { a: a.feed, c: c.feed }, { y: refMap([a.ref, c.ref], ([p, q]) => (ref(p as number, q as number) ? 1 : 0)) });
  });
});

describe('when combining bool tensors', () => {
  it.each(LOGICAL)('$name gives the reference truth table under broadcasting', async ({ name, make, ref }) => {
    const a = boolPair([2, 2], [0, 1, 0, 1]);
    const c = boolPair([2, 1], [0, 1]);
    const b = new GraphBuilder(`logic_${name}`);
    b.output(make(b.input('a', 'bool', [2, 2]), b.input('c', 'bool', [2, 1])), 'y');
    await expectBothRuntimes(b, { a: a.feed, c: c.feed }, { y: refMap([a.ref, c.ref], ([p, q]) => (ref(p as number, q as number) ? 1 : 0)) });
  });

  it('Not flips every element', async () => {
    const a = boolPair([3], [1, 0, 1]);
    const b = new GraphBuilder('not');
    b.output(op.Not(b.input('a', 'bool', [3])), 'y');
    await expectBothRuntimes(b, { a: a.feed }, { y: { dims: [3], data: [0, 1, 0] } });
  });
});

describe('when selecting with Where', () => {
  it('broadcasts condition, x and y three ways', async () => {
    const rng = new Rng(5);
    const cond = boolPair([2, 1], [1, 0]);
    const x = f32Pair([1, 3], rng.normalArray(3));
    const y = f32Pair([2, 3], rng.normalArray(6));
    const b = new GraphBuilder('where');
    b.output(op.Where(b.input('cond', 'bool', [2, 1]), b.input('x', 'float32', [1, 3]), b.input('y', 'float32', [2, 3])), 'z');
    const ref = refMap([cond.ref, x.ref, y.ref], ([c, p, q]) => (c ? (p as number) : (q as number)));
    await expectBothRuntimes(b, { cond: cond.feed, x: x.feed, y: y.feed }, { z: ref });
  });

  it('rejects a float condition and x/y of different dtypes', () => {
    const b = new GraphBuilder('bad_where');
    const f = b.input('f', 'float32', [2]);
    const i = b.input('i', 'int64', [2]);
    expect(() => op.Where(f, f, f)).toThrow(/Where: input 0 has dtype float32, expected one of bool/);
    expect(() => op.Where(op.Less(f, f), f, i)).toThrow(/dtypes differ: input 1 is float32, input 2 is int64/);
  });
});

describe('when testing for NaN and infinity', () => {
  const values = Float32Array.from([0, NaN, Infinity, -Infinity, -1.5, 3]);

  it('IsNaN marks only NaN', async () => {
    const b = new GraphBuilder('isnan');
    b.output(op.IsNaN(b.input('x', 'float32', [6])), 'y');
    await expectBothRuntimes(b, { x: f32Pair([6], values).feed }, { y: { dims: [6], data: [0, 1, 0, 0, 0, 0] } });
  });

  it('IsInf honours detect_negative / detect_positive', async () => {
    const b = new GraphBuilder('isinf');
    const x = b.input('x', 'float32', [6]);
    b.output(op.IsInf(x), 'both');
    b.output(op.IsInf(x, false, true), 'pos');
    const expected = { both: { dims: [6], data: [0, 0, 1, 1, 0, 0] }, pos: { dims: [6], data: [0, 0, 1, 0, 0, 0] } };
    await expectBothRuntimes(b, { x: f32Pair([6], values).feed }, expected);
  });
});

describe('when every input is a known constant', () => {
  it('folds comparisons, logic and Where at build time', () => {
    const b = new GraphBuilder('fold');
    const lt = op.Less(b.constant([1, 5], 'int64'), b.constant([3], 'int64', [1]));
    expect(Array.from(lt.constValue as Uint8Array)).toEqual([1, 0]);
    expect(Array.from(op.Not(lt).constValue as Uint8Array)).toEqual([0, 1]);
    expect(Array.from(op.Where(lt, b.constant([7, 8], 'float32'), b.scalar(-1)).constValue as Float32Array)).toEqual([7, -1]);
  });
});
