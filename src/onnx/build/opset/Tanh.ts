// Tanh: elementwise tanh x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Tanh', FLOAT_DTYPES, Math.tanh);

/** tanh x, elementwise. */
export function Tanh(x: Var, name?: string): Var {
  return x.builder.op1('Tanh', [x], {}, name);
}
