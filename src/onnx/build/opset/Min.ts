// Min: elementwise min of one or more tensors with numpy broadcasting (ONNX opset 13). Folds constants.
import { variadicSchema } from '../elementwiseKinds';
import type { Var } from '../Var';

export const schema = variadicSchema('Min', (xs) => Math.min(...xs));

/** Elementwise min over all inputs (same dtype), broadcasting. */
export function Min(first: Var, ...rest: Var[]): Var {
  return first.builder.op1('Min', [first, ...rest], {});
}
