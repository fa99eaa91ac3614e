// Sqrt: elementwise √x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Sqrt', FLOAT_DTYPES, Math.sqrt);

/** √x, elementwise. */
export function Sqrt(x: Var, name?: string): Var {
  return x.builder.op1('Sqrt', [x], {}, name);
}
