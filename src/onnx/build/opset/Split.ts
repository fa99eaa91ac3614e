// Split: cuts x along `axis` into pieces whose sizes are an int64 INPUT (ONNX opset 13); one output per piece.
// Folds constants. Reference: ONNX Operators.md#Split (sizes must sum to the axis length; omitted: equal parts).
import { attr } from '../attrs';
import { pickElements } from '../fold';
import type { InferContext, OpSchema } from '../schema';
import type { Var } from '../Var';

function pieces(ctx: InferContext): { axis: number; sizes: number[] } {
  const x = ctx.input(0);
  const axis = ctx.axis(ctx.int('axis', 0), x.shape.length);
  const dim = x.shape[axis] as number;
  const n = ctx.node.outputs.length;
  if (!ctx.hasInput(1)) {
    if (dim % n !== 0) ctx.fail(`axis ${axis} of size ${dim} does not split into ${n} equal parts; give sizes`);
    return { axis, sizes: new Array<number>(n).fill(dim / n) };
  }
  const sizes = ctx.constInts(1, 'split');
  if (sizes.length !== n) ctx.fail(`${sizes.length} sizes for ${n} outputs`);
  const sum = sizes.reduce((s, v) => s + v, 0);
  if (sizes.some((s) => s < 0) || sum !== dim) ctx.fail(`sizes [${sizes.join(',')}] must be ≥ 0 and sum to ${dim} (axis ${axis})`);
  return { axis, sizes };
}

export const schema: OpSchema = {
  opType: 'Split',
  infer(ctx) {
    const x = ctx.input(0);
    const { axis, sizes } = pieces(ctx);
    return sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? s : d)) }));
  },
  fold(ctx, values) {
    const x = ctx.input(0);
    const { axis, sizes } = pieces(ctx);
    let begin = 0;
    return sizes.map((s) => {
      const from = begin;
      begin += s;
      const shape = x.shape.map((d, i) => (i === axis ? s : d));
      return pickElements(x.dtype, values[0] as NonNullable<(typeof values)[0]>, shape, (idx) =>
        idx.reduce((off, k, d) => off * (x.shape[d] as number) + (d === axis ? k + from : k), 0));
    });
  },
};

/** Splits x along `axis` into pieces of `sizes` (summing to the axis length). Returns one Var per piece. */
export function Split(x: Var, sizes: readonly number[], axis = 0, name?: string): Var[] {
  return x.builder.op('Split', [x, x.builder.ints(sizes)], { axis: attr.int(axis) }, sizes.length, name);
}
