// Slice: starts/ends/axes/steps are int64 INPUTS (ONNX opset 13). Negative indices count from the end, ends
// clamp to the axis (so a huge end means "to the end"), steps may be negative. Folds constants.
// Reference: ONNX Operators.md#Slice; clamping in fold.ts sliceRange.
import { pickElements, sliceRange } from '../fold';
import type { SliceRange } from '../fold';
import type { InferContext, OpSchema } from '../schema';
import type { Var } from '../Var';

/** Largest magnitude written for a start/end: bigger numbers (or ±Infinity) mean "past the end". */
const LIMIT = Number.MAX_SAFE_INTEGER;

function ranges(ctx: InferContext): SliceRange[] {
  const x = ctx.input(0);
  const rank = x.shape.length;
  const starts = ctx.constInts(1, 'starts');
  const ends = ctx.constInts(2, 'ends');
  const axes = ctx.hasInput(3) ? ctx.constInts(3, 'axes') : starts.map((_, i) => i);
  const steps = ctx.hasInput(4) ? ctx.constInts(4, 'steps') : starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    ctx.fail(`starts/ends/axes/steps lengths differ: ${starts.length}/${ends.length}/${axes.length}/${steps.length}`);
  }
  const out: SliceRange[] = x.shape.map((d) => ({ start: 0, step: 1, count: d }));
  const seen = new Set<number>();
  axes.forEach((raw, i) => {
    const a = ctx.axis(raw, rank);
    if (seen.has(a)) ctx.fail(`axes [${axes.join(',')}] repeat axis ${a}`);
    seen.add(a);
    const step = steps[i] as number;
    if (step === 0) ctx.fail(`step for axis ${a} is 0`);
    out[a] = sliceRange(x.shape[a] as number, starts[i] as number, ends[i] as number, step);
  });
  return out;
}

export const schema: OpSchema = {
  opType: 'Slice',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([1, 2, 3, 4], ['int32', 'int64']);
    return [{ dtype: x.dtype, shape: ranges(ctx).map((r) => r.count) }];
  },
  fold(ctx, values) {
    const x = ctx.input(0);
    const rs = ranges(ctx);
    return [pickElements(x.dtype, values[0] as NonNullable<(typeof values)[0]>, rs.map((r) => r.count), (idx) => {
      let off = 0;
      idx.forEach((k, d) => {
        const r = rs[d] as SliceRange;
        off = off * (x.shape[d] as number) + r.start + k * r.step;
      });
      return off;
    })];
  },
};

/**
 * x[starts:ends:steps] on `axes` (default 0..n-1; steps default 1). Use a huge end (or Infinity) for "to the
 * end", and with a negative step, -Infinity for "down to index 0 inclusive".
 */
export function Slice(x: Var, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[], name?: string): Var {
  const b = x.builder;
  const clamp = (v: number[]): number[] => v.map((n) => Math.max(-LIMIT, Math.min(LIMIT, n)));
  const inputs = [x, b.ints(clamp([...starts])), b.ints(clamp([...ends])), axes ? b.ints(axes) : undefined, steps ? b.ints(steps) : undefined];
  return b.op1('Slice', inputs, {}, name);
}
