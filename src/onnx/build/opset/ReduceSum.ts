// ReduceSum over constant axes given as an input (ONNX opset 13), keepdims default 1.
import { attr } from '../attrs';
import type { InferContext, OpSchema } from '../schema';
import type { Var } from '../Var';

/** Output shape of a reduction over `axes` (all axes when empty and noop_with_empty_axes=0). */
export function reducedShape(ctx: InferContext, shape: number[], axes: number[], keepdims: boolean): number[] {
  const norm = (axes.length ? axes : shape.map((_, i) => i)).map((a) => ctx.axis(a, shape.length));
  return keepdims ? shape.map((d, i) => (norm.includes(i) ? 1 : d)) : shape.filter((_, i) => !norm.includes(i));
}

export const schema: OpSchema = {
  opType: 'ReduceSum',
  infer(ctx) {
    const x = ctx.input(0);
    const axes = ctx.hasInput(1) ? ctx.constInts(1, 'axes') : [];
    if (!axes.length && ctx.int('noop_with_empty_axes', 0)) return [{ dtype: x.dtype, shape: [...x.shape] }];
    return [{ dtype: x.dtype, shape: reducedShape(ctx, x.shape, axes, ctx.int('keepdims', 1) === 1) }];
  },
};

/** Sum over `axes` (all when omitted). */
export function ReduceSum(x: Var, axes?: readonly number[], keepdims = true, name?: string): Var {
  const a = axes && axes.length ? x.builder.ints(axes) : undefined;
  return x.builder.op1('ReduceSum', [x, a], { keepdims: attr.int(keepdims ? 1 : 0) }, name);
}
