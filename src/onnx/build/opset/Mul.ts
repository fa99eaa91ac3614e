// Mul: elementwise with numpy broadcasting (ONNX opset 14). Folds constants (shape arithmetic).
import { binarySchema } from '../elementwise';
import type { Var } from '../Var';

export const schema = binarySchema('Mul', (a, b) => a * b);

/** `a * b`, broadcasting. */
export function Mul(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('Mul', [a, b], {}, name);
}
