// Max: elementwise max of one or more tensors with numpy broadcasting (ONNX opset 13). Folds constants.
import { variadicSchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = variadicSchema('Max', (xs) => Math.max(...xs));

/** Elementwise max over all inputs (same dtype), broadcasting. */
export function Max(first: Var, ...rest: Var[]): Var {
  return first.builder.op1('Max', [first, ...rest], {});
}
