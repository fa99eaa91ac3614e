// Gradient rule for Slice (steps of 1): dx = dy zero-padded back to x's shape, Pad begins = normalised starts,
// ends = dim − normalised ends (ONNX clamping rules). Other steps fail with a GraphError.
import { Pad } from '../../build/opset/Pad';
import type { GradRule } from '../rule';

/** ONNX Slice index normalisation for step 1: negative counts from the end, then clamp to [0, dim]. */
function clampIndex(i: number, dim: number): number {
  const v = i < 0 ? i + dim : i;
  return Math.min(Math.max(v, 0), dim);
}

export const rule: GradRule = {
  opType: 'Slice',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const starts = ctx.constInts(1) ?? [];
    const ends = ctx.constInts(2) ?? [];
    const axes = ctx.constInts(3) ?? starts.map((_, i) => i);
    const steps = ctx.constInts(4) ?? starts.map(() => 1);
    if (steps.some((s) => s !== 1)) ctx.fail(`steps [${steps.join(',')}] are not supported by the gradient; slice with step 1`);
    const pads = new Array<number>(2 * x.rank).fill(0);
    axes.forEach((axis, k) => {
      const a = axis < 0 ? axis + x.rank : axis;
      const dim = x.shape[a] as number;
      const s = clampIndex(starts[k] as number, dim);
      const e = Math.max(s, clampIndex(ends[k] as number, dim));
      pads[a] = s;
      pads[a + x.rank] = dim - e;
    });
    return [Pad(ctx.dy(), pads)];
  },
};
