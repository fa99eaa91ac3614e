// Sigmoid: elementwise σ(x) = 1 / (1 + e^-x) (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Sigmoid', FLOAT_DTYPES, (x) => 1 / (1 + Math.exp(-x)));

/** σ(x) = 1 / (1 + e^-x), elementwise. */
export function Sigmoid(x: Var, name?: string): Var {
  return x.builder.op1('Sigmoid', [x], {}, name);
}
