// Xor: elementwise logical a XOR b of bool tensors with numpy broadcasting (ONNX opset 7). Folds constants.
import { logicalSchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = logicalSchema('Xor', (a, b) => a !== b);

/** `a XOR b` elementwise on bool tensors, broadcasting. */
export function Xor(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('Xor', [a, b], {}, name);
}
