// Gather: takes slices of `data` along `axis` at int32/int64 `indices` (ONNX opset 13); an embedding lookup
// is Gather(table [V, D], ids [B, T], 0) → [B, T, D]. Negative indices count from the end. Folds constants.
// Reference: ONNX Operators.md#Gather (output shape data[:axis] + indices.shape + data[axis+1:]).
import { attr } from '../attrs';
import { offsetOf, pickElements, toNumbers } from '../fold';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Gather',
  infer(ctx) {
    const data = ctx.input(0);
    const ind = ctx.input(1);
    ctx.expectDtype([1], ['int32', 'int64']);
    if (data.shape.length === 0) ctx.fail('data must have rank ≥ 1');
    const axis = ctx.axis(ctx.int('axis', 0), data.shape.length);
    const dim = data.shape[axis] as number;
    if (ind.constValue) {
      const bad = toNumbers(ind.constValue).find((i) => i < -dim || i >= dim);
      if (bad !== undefined) ctx.fail(`index ${bad} is out of range for axis ${axis} of size ${dim}`);
    }
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...ind.shape, ...data.shape.slice(axis + 1)] }];
  },
  fold(ctx, values) {
    const data = ctx.input(0);
    const ind = ctx.input(1);
    const axis = ctx.axis(ctx.int('axis', 0), data.shape.length);
    const dim = data.shape[axis] as number;
    const ids = toNumbers(values[1] as NonNullable<(typeof values)[1]>).map((i) => (i < 0 ? i + dim : i));
    const q = ind.shape.length;
    const outShape = [...data.shape.slice(0, axis), ...ind.shape, ...data.shape.slice(axis + 1)];
    return [pickElements(data.dtype, values[0] as NonNullable<(typeof values)[0]>, outShape, (idx) => {
      const at = ids[offsetOf(idx.slice(axis, axis + q), ind.shape)] as number;
      return offsetOf([...idx.slice(0, axis), at, ...idx.slice(axis + q)], data.shape);
    })];
  },
};

/** data[..., indices, ...] along `axis`. `indices` may be numbers (→ int64 constant) or an int32/int64 Var. */
export function Gather(data: Var, indices: Var | readonly number[], axis = 0, name?: string): Var {
  const ind = Array.isArray(indices) ? data.builder.ints(indices as number[]) : (indices as Var);
  return data.builder.op1('Gather', [data, ind], { axis: attr.int(axis) }, name);
}
