// Shape: the int64 1-D shape of x, sliced by the start/end attributes (ONNX opset 15; negative values count
// from the end, both clamp to [0, rank]). Shapes are static here, so the value is always known at build time.
import { attr, compactAttrs } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Shape',
  infer(ctx) {
    const rank = ctx.input(0).shape.length;
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    const start = clamp(ctx.int('start', 0));
    const end = clamp(ctx.int('end', rank));
    const dims = ctx.input(0).shape.slice(start, Math.max(start, end));
    return [{ dtype: 'int64', shape: [dims.length], constValue: BigInt64Array.from(dims, (d) => BigInt(d)) }];
  },
};

/** x's shape as an int64 [n] tensor, dims start..end (end exclusive; omitted = whole shape). */
export function Shape(x: Var, start?: number, end?: number, name?: string): Var {
  const attributes = compactAttrs({ start: start === undefined ? undefined : attr.int(start), end: end === undefined ? undefined : attr.int(end) });
  return x.builder.op1('Shape', [x], attributes, name);
}
