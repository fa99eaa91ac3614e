// Sin: elementwise sin x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Sin', FLOAT_DTYPES, Math.sin);

/** sin x, elementwise. */
export function Sin(x: Var, name?: string): Var {
  return x.builder.op1('Sin', [x], {}, name);
}
