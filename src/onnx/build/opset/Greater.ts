// Greater: elementwise comparison a > b with numpy broadcasting (ONNX opset 16); bool output. Folds constants.
import { compareSchema, NUMERIC_DTYPES } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = compareSchema('Greater', NUMERIC_DTYPES, (a, b) => a > b);

/** `a > b` elementwise → bool, broadcasting. */
export function Greater(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('Greater', [a, b], {}, name);
}
