// LessOrEqual: elementwise comparison a <= b with numpy broadcasting (ONNX opset 16); bool output. Folds constants.
import { compareSchema, NUMERIC_DTYPES } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = compareSchema('LessOrEqual', NUMERIC_DTYPES, (a, b) => a <= b);

/** `a <= b` elementwise → bool, broadcasting. */
export function LessOrEqual(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('LessOrEqual', [a, b], {}, name);
}
