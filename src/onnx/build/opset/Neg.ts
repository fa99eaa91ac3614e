// Neg: elementwise -x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { SIGNED_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Neg', SIGNED_DTYPES, (x) => -x);

/** -x, elementwise. */
export function Neg(x: Var, name?: string): Var {
  return x.builder.op1('Neg', [x], {}, name);
}
