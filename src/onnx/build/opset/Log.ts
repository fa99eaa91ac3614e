// Log: elementwise ln x (ONNX opset 13). Keeps shape and dtype; folds constants.
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Log', FLOAT_DTYPES, Math.log);

/** ln x, elementwise. */
export function Log(x: Var, name?: string): Var {
  return x.builder.op1('Log', [x], {}, name);
}
