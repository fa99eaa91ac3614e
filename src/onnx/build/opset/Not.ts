// Not: elementwise logical negation of a bool tensor (ONNX opset 1). Folds constants.
import { typedUnarySchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = typedUnarySchema('Not', ['bool'], (x) => (x ? 0 : 1));

/** `!x` elementwise on a bool tensor. */
export function Not(x: Var, name?: string): Var {
  return x.builder.op1('Not', [x], {}, name);
}
