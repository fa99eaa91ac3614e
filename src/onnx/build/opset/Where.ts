// Where: elementwise select `cond ? x : y` with three-way numpy broadcasting (ONNX opset 16).
// cond must be bool; x and y share a dtype, which the output keeps. Folds constants.
import { broadcastSpec, foldBroadcast } from '../elementwiseKinds';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Where',
  infer(ctx) {
    ctx.expectDtype([0], ['bool']);
    return [broadcastSpec(ctx, [1, 2], ctx.input(1).dtype)];
  },
  fold: (ctx, values) => foldBroadcast(ctx, values, ctx.input(1).dtype, ([c, x, y]) => (c ? (x as number) : (y as number))),
};

/** `cond ? x : y` elementwise — cond: bool, x/y: same dtype; all three broadcast together. */
export function Where(cond: Var, x: Var, y: Var, name?: string): Var {
  return cond.builder.op1('Where', [cond, x, y], {}, name);
}
