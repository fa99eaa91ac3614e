// Equal: elementwise comparison a == b with numpy broadcasting (ONNX opset 16); bool output. Folds constants.
import { compareSchema, NUMERIC_DTYPES } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = compareSchema('Equal', [...NUMERIC_DTYPES, 'bool'], (a, b) => a === b);

/** `a == b` elementwise → bool, broadcasting. */
export function Equal(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('Equal', [a, b], {}, name);
}
