// Reciprocal: elementwise 1/x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Reciprocal', FLOAT_DTYPES, (x) => 1 / x);

/** 1/x, elementwise. */
export function Reciprocal(x: Var, name?: string): Var {
  return x.builder.op1('Reciprocal', [x], {}, name);
}
