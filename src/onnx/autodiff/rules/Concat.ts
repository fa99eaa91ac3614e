// Gradient rule for Concat: dx_i = the i-th piece of dy along `axis` (one Split of dy).
import { Split } from '../../build/opset/Split';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Concat',
  differentiable: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  grad(ctx) {
    const dy = ctx.dy();
    const axis = ctx.int('axis', 0);
    const a = axis < 0 ? axis + dy.rank : axis;
    const sizes = ctx.inputs.map((x) => (x ? (x.shape[a] as number) : 0));
    if (sizes.length === 1) return [dy];
    return Split(dy, sizes, a);
  },
};
