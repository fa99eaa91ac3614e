// Div: elementwise with numpy broadcasting (ONNX opset 14). Folds constants (shape arithmetic).
import { binarySchema } from '../elementwise';
import type { Var } from '../Var';

export const schema = binarySchema('Div', (a, b) => (Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b));

/** `a / b`, broadcasting. */
export function Div(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('Div', [a, b], {}, name);
}
