// And: elementwise logical a AND b of bool tensors with numpy broadcasting (ONNX opset 7). Folds constants.
import { logicalSchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = logicalSchema('And', (a, b) => a && b);

/** `a AND b` elementwise on bool tensors, broadcasting. */
export function And(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('And', [a, b], {}, name);
}
