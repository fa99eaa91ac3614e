// Pow: elementwise x^y with numpy broadcasting (ONNX opset 15). The exponent may have another numeric dtype
// (T1); the output keeps the base's dtype. Folds constants.
import { broadcastSpec, foldBroadcast, NUMERIC_DTYPES } from '../elementwiseKinds';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Pow',
  infer(ctx) {
    ctx.expectDtype([0], ['float32', 'float16', 'bfloat16', 'float64', 'int32', 'int64']);
    ctx.expectDtype([1], NUMERIC_DTYPES);
    return [broadcastSpec(ctx, [0], ctx.input(0).dtype)];
  },
  fold: (ctx, values) => foldBroadcast(ctx, values, ctx.input(0).dtype, ([x, y]) => Math.pow(x as number, y as number)),
};

/** x^y elementwise, broadcasting. */
export function Pow(x: Var, y: Var, name?: string): Var {
  return x.builder.op1('Pow', [x, y], {}, name);
}
