// Cast between float32, int64, int32 and bool on both runtimes against the TypeScript reference; folding.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { boolPair, expectBothRuntimes, f32Pair } from './harness';

describe('when casting', () => {
  const values = Float32Array.from([-2.7, -0.5, 0, 0.4, 1.5, 3.9]);

  it('float32 → int64 / int32 truncates toward zero and → bool is x ≠ 0', async () => {
    const b = new GraphBuilder('cast_from_f32');
    const x = b.input('x', 'float32', [2, 3]);
    b.output(op.Cast(x, 'int64'), 'i64');
    b.output(op.Cast(x, 'int32'), 'i32');
    b.output(op.Cast(x, 'bool'), 'flag');
    const trunc = { dims: [2, 3], data: [-2, 0, 0, 0, 1, 3] };
    const expected = { i64: trunc, i32: trunc, flag: { dims: [2, 3], data: [1, 1, 0, 1, 1, 1] } };
    await expectBothRuntimes(b, { x: f32Pair([2, 3], values).feed }, expected);
    expect(b.get('i64').dtype).toBe('int64');
    expect(b.graph.nodes[0]?.attributes.to).toEqual({ type: 'int', value: 7 });
  });

  it('bool and int64 → float32 give 0/1 and the integer values', async () => {
    const b = new GraphBuilder('cast_to_f32');
    b.output(op.Cast(b.input('m', 'bool', [3]), 'float32'), 'mf');
    b.output(op.Cast(b.input('n', 'int64', [3]), 'float32'), 'nf');
    const n = { dtype: 'int64' as const, dims: [3], data: BigInt64Array.from([-4n, 0n, 9n]) };
    const expected = { mf: { dims: [3], data: [1, 0, 1] }, nf: { dims: [3], data: [-4, 0, 9] } };
    await expectBothRuntimes(b, { m: boolPair([3], [1, 0, 1]).feed, n }, expected);
  });

  it('folds numeric constants and leaves float16 targets unfolded', () => {
    const b = new GraphBuilder('cast_fold');
    const c = b.constant([-2.5, 0, 7.9], 'float32');
    expect(Array.from(op.Cast(c, 'int64').constValue as BigInt64Array)).toEqual([-2n, 0n, 7n]);
    expect(Array.from(op.Cast(c, 'bool').constValue as Uint8Array)).toEqual([1, 0, 1]);
    expect(op.Cast(c, 'float16').constValue).toBeUndefined();
  });
});
