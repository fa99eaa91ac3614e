// Or: elementwise logical a OR b of bool tensors with numpy broadcasting (ONNX opset 7). Folds constants.
import { logicalSchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = logicalSchema('Or', (a, b) => a || b);

/** `a OR b` elementwise on bool tensors, broadcasting. */
export function Or(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('Or', [a, b], {}, name);
}
