// Squeeze: removes size-1 axes; `axes` is an optional int64 INPUT since opset 13 (omitted: every size-1 axis).
// Folds constants. Reference: ONNX Operators.md#Squeeze (a listed axis whose size is not 1 is an error).
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Squeeze',
  infer(ctx) {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const axes = ctx.hasInput(1) ? ctx.constInts(1, 'axes').map((a) => ctx.axis(a, rank)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of axes) if (x.shape[a] !== 1) ctx.fail(`axis ${a} has size ${x.shape[a]}, only size-1 axes can be squeezed`);
    return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)) }];
  },
  fold: (_ctx, values) => [values[0] as NonNullable<(typeof values)[0]>],
};

/** Removes the size-1 `axes` (every size-1 axis when omitted). x: [1,3,1], axes [0] → [3,1]. */
export function Squeeze(x: Var, axes?: readonly number[], name?: string): Var {
  return x.builder.op1('Squeeze', [x, axes ? x.builder.ints(axes) : undefined], {}, name);
}
