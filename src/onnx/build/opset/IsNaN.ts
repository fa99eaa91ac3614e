// IsNaN: elementwise x ≠ x test of a float tensor (ONNX opset 13); bool output, same shape. Folds constants.
import { FLOAT_DTYPES, foldBroadcast } from '../elementwiseKinds';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'IsNaN',
  infer(ctx) {
    ctx.expectDtype([0], FLOAT_DTYPES);
    return [{ dtype: 'bool', shape: [...ctx.input(0).shape] }];
  },
  fold: (ctx, values) => foldBroadcast(ctx, values, 'bool', ([x]) => (Number.isNaN(x) ? 1 : 0)),
};

/** true where x is NaN. */
export function IsNaN(x: Var, name?: string): Var {
  return x.builder.op1('IsNaN', [x], {}, name);
}
