// Expand: broadcasts x to a shape given as an int64 INPUT (ONNX opset 13; bidirectional, so a 1 in `shape`
// keeps x's dim). Folds constants. Reference: ONNX Operators.md#Expand, Broadcasting.md.
import { mapBroadcast } from '../elementwise';
import type { OpSchema } from '../schema';
import { broadcastShapes } from '../shapes';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Expand',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([1], ['int64']);
    return [{ dtype: x.dtype, shape: broadcastShapes(ctx, x.shape, ctx.constInts(1, 'shape')) }];
  },
  fold(ctx, values) {
    const x = ctx.input(0);
    const shape = broadcastShapes(ctx, x.shape, ctx.constInts(1, 'shape'));
    return [mapBroadcast(x.dtype, shape, [x.shape], [values[0] as NonNullable<(typeof values)[0]>], (v) => v[0] as number)];
  },
};

/** Broadcasts x to `shape` (numpy rules, both directions). x: [3,1], shape [2,1,4] → [2,3,4]. */
export function Expand(x: Var, shape: readonly number[], name?: string): Var {
  return x.builder.op1('Expand', [x, x.builder.ints(shape)], {}, name);
}
