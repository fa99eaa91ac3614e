// Shape, Size, ConstantOfShape, Range and Constant: build-time values and both runtimes agree.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { attr, GraphBuilder, op } from '../../../../src/onnx/index';
import { expectBothRuntimes, f32Pair } from './harness';

const X = f32Pair([2, 3, 4], new Rng(3).normalArray(24));

describe('when asking for a shape or size', () => {
  it('Shape slices by start/end (negative and clamped) and Size counts elements, known at build time', async () => {
    const b = new GraphBuilder('shape');
    const x = b.input('x', 'float32', [2, 3, 4]);
    const cases = { all: op.Shape(x), tail: op.Shape(x, 1), mid: op.Shape(x, -2, -1), clamped: op.Shape(x, -9, 10), size: op.Size(x) };
    for (const [name, v] of Object.entries(cases)) b.output(v, name);
    expect(Array.from(cases.tail.constValue as BigInt64Array)).toEqual([3n, 4n]);
    expect(Array.from(cases.size.constValue as BigInt64Array)).toEqual([24n]);
    const expected = {
      all: { dims: [3], data: [2, 3, 4] },
      tail: { dims: [2], data: [3, 4] },
      mid: { dims: [1], data: [3] },
      clamped: { dims: [3], data: [2, 3, 4] },
      size: { dims: [], data: [24] },
    };
    await expectBothRuntimes(b, { x: X.feed }, expected);
  });
});

describe('when making constants', () => {
  it('ConstantOfShape fills float32 (default 0 and 1.5) and int64 tensors, also from a Shape', async () => {
    const b = new GraphBuilder('const_of_shape');
    const x = b.input('x', 'float32', [2, 3, 4]);
    b.output(op.ConstantOfShape(b.ints([2, 2])), 'zeros');
    b.output(op.ConstantOfShape(op.Shape(x, 1), 1.5), 'halves');
    b.output(op.ConstantOfShape(b.ints([3]), 7, 'int64'), 'sevens');
    expect(b.get('halves').shape).toEqual([3, 4]);
    const expected = {
      zeros: { dims: [2, 2], data: [0, 0, 0, 0] },
      halves: { dims: [3, 4], data: new Array<number>(12).fill(1.5) },
      sevens: { dims: [3], data: [7, 7, 7] },
    };
    await expectBothRuntimes(b, { x: X.feed }, expected);
  });

  it('Range counts up with int64 and down with float32', async () => {
    const b = new GraphBuilder('range');
    const x = b.input('x', 'float32', [1]);
    const up = op.Range(b.scalar(0, 'int64'), b.scalar(5, 'int64'), b.scalar(2, 'int64'));
    const down = op.Range(b.scalar(1), b.scalar(-1), b.scalar(-0.5));
    expect(Array.from(up.constValue as BigInt64Array)).toEqual([0n, 2n, 4n]);
    b.output(up, 'up');
    b.output(op.Add(down, x), 'down');
    const expected = { up: { dims: [3], data: [0, 2, 4] }, down: { dims: [4], data: [1, 0.5, 0, -0.5] } };
    await expectBothRuntimes(b, { x: f32Pair([1], Float32Array.of(0)).feed }, expected);
  });

  it('Constant emits value tensors and value_float / value_ints attributes', async () => {
    const b = new GraphBuilder('constant');
    const x = b.input('x', 'float32', [2, 2]);
    const m = op.Constant(b, [1, 2, 3, 4], 'float32', [2, 2]);
    b.output(op.Mul(x, m), 'scaled');
    b.output(op.Constant(b, [5, -6], 'int64'), 'ints');
    b.output(b.op1('Constant', [], { value_float: attr.float(2.5) }), 'f');
    b.output(b.op1('Constant', [], { value_ints: attr.ints([1, 2, 3]) }), 'is');
    expect(Array.from(m.constValue as Float32Array)).toEqual([1, 2, 3, 4]);
    const expected = {
      scaled: { dims: [2, 2], data: [1, 2, 3, 4] },
      ints: { dims: [2], data: [5, -6] },
      f: { dims: [], data: [2.5] },
      is: { dims: [3], data: [1, 2, 3] },
    };
    await expectBothRuntimes(b, { x: f32Pair([2, 2], Float32Array.of(1, 1, 1, 1)).feed }, expected);
  });
});

describe('when the inputs are not known at build time', () => {
  it('Range and ConstantOfShape ask for constants, and Constant wants one attribute', () => {
    const b = new GraphBuilder('bad');
    const n = b.input('n', 'int64', []);
    expect(() => op.Range(b.scalar(0, 'int64'), n, b.scalar(1, 'int64'))).toThrow(/Range: limit \(input 1\) must be a constant known at build time/);
    expect(() => op.ConstantOfShape(b.input('s', 'int64', [2]))).toThrow(/ConstantOfShape: shape \(input 0\) must be a constant/);
    const two = { value_float: attr.float(1), value_int: attr.int(1) };
    expect(() => b.op1('Constant', [], two)).toThrow(/Constant: needs exactly one value attribute, got \[value_float, value_int\]/);
    expect(() => op.Range(b.scalar(0), b.scalar(3, 'int64'), b.scalar(1))).toThrow(/dtypes differ: start is float32, input 1 is int64/);
  });
});
