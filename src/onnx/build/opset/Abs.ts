// Abs: elementwise |x| (ONNX opset 13). Keeps shape and dtype; folds constants.
import { NUMERIC_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Abs', NUMERIC_DTYPES, Math.abs);

/** |x|, elementwise. */
export function Abs(x: Var, name?: string): Var {
  return x.builder.op1('Abs', [x], {}, name);
}
