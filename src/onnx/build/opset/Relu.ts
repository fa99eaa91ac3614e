// Relu: elementwise max(0, x) (ONNX opset 13). Keeps shape and dtype; opset 14 also allows signed ints; folds constants.
import { SIGNED_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Relu', SIGNED_DTYPES, (x) => Math.max(0, x));

/** max(0, x), elementwise. */
export function Relu(x: Var, name?: string): Var {
  return x.builder.op1('Relu', [x], {}, name);
}
