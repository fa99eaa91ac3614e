// Exp: elementwise e^x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Exp', FLOAT_DTYPES, Math.exp);

/** e^x, elementwise. */
export function Exp(x: Var, name?: string): Var {
  return x.builder.op1('Exp', [x], {}, name);
}
