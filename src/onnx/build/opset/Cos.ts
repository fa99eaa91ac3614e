// Cos: elementwise cos x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Cos', FLOAT_DTYPES, Math.cos);

/** cos x, elementwise. */
export function Cos(x: Var, name?: string): Var {
  return x.builder.op1('Cos', [x], {}, name);
}
