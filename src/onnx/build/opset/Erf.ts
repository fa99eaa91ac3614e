// Erf: elementwise the Gauss error function erf(x) (ONNX opset 13). Keeps shape and dtype; no build-time folding (no exact erf in JS).
import { FLOAT_DTYPES, typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Erf', FLOAT_DTYPES);

/** the Gauss error function erf(x), elementwise. */
export function Erf(x: Var, name?: string): Var {
  return x.builder.op1('Erf', [x], {}, name);
}
