// CumSum (ONNX opset 14): running sum along an axis given as an int32/int64 scalar INPUT; `exclusive` drops the
// current element, `reverse` sums from the end. Reference: ONNX Operators.md#CumSum.
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export type CumSumOptions = { exclusive?: boolean; reverse?: boolean; name?: string };

export const schema: OpSchema = {
  opType: 'CumSum',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([0], ['float32', 'float16', 'float64', 'int32', 'int64', 'uint32', 'uint64']);
    ctx.expectDtype([1], ['int32', 'int64']);
    if (ctx.input(1).shape.length > 1) ctx.fail('axis must be a scalar (or a 1-element vector)');
    const axes = ctx.constInts(1, 'axis');
    ctx.axis(axes[0] ?? ctx.fail('axis is empty'), x.shape.length);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
};

/** Cumulative sum of x along `axis`. */
export function CumSum(x: Var, axis: number, o: CumSumOptions = {}): Var {
  const a = x.builder.constant([axis], 'int64', []);
  const attrs = { exclusive: attr.int(o.exclusive ? 1 : 0), reverse: attr.int(o.reverse ? 1 : 0) };
  return x.builder.op1('CumSum', [x, a], attrs, o.name);
}
