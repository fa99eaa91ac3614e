// Identity: returns its input unchanged (ONNX opset 16).
import { unarySchema } from '../elementwise';
import type { Var } from '../Var';

export const schema = unarySchema('Identity', (x) => x);

export function Identity(x: Var, name?: string): Var {
  return x.builder.op1('Identity', [x], {}, name);
}
