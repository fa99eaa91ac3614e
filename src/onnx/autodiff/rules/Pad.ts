// Gradient rule for Pad in constant mode: dx = dy with the padding cut off again (Slice; negative pads, which
// crop, are undone by zero padding). reflect/edge modes fail with a GraphError. pads/value have no gradient.
import { Pad } from '../../build/opset/Pad';
import { Slice } from '../../build/opset/Slice';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Pad',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const mode = ctx.string('mode', 'constant');
    if (mode !== 'constant') ctx.fail(`mode "${mode}" has no gradient rule; only constant padding is differentiable here`);
    const pads = ctx.constInts(1) ?? [];
    const r = x.rank;
    const grow = pads.map((p) => Math.max(p, 0));
    const crop = pads.map((p) => Math.max(-p, 0));
    let g = ctx.dy();
    if (grow.some((p) => p > 0)) {
      const starts = g.shape.map((_, i) => grow[i] as number);
      const ends = g.shape.map((d, i) => d - (grow[i + r] as number));
      g = Slice(g, starts, ends);
    }
    if (crop.some((p) => p > 0)) g = Pad(g, crop);
    return [g];
  },
};
