// Softmax along one axis (ONNX opset 13 semantics: a single axis, default -1).
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Softmax',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([0], ['float32', 'float16', 'float64']);
    ctx.axis(ctx.int('axis', -1), x.shape.length);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
};

/** softmax(x) along `axis`. */
export function Softmax(x: Var, axis = -1, name?: string): Var {
  return x.builder.op1('Softmax', [x], { axis: attr.int(axis) }, name);
}
