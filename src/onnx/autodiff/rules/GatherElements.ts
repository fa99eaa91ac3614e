// Gradient rule for GatherElements: dx = ScatterElements(zeros(x.shape), indices, dy, axis, reduction add),
// so repeated indices accumulate. Indices have no gradient.
import { ScatterElements } from '../../build/opset/ScatterElements';
import { zeros } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'GatherElements',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    return [ScatterElements(zeros(ctx.b, x.dtype, x.shape), ctx.x(1), ctx.dy(), ctx.int('axis', 0), 'add'), undefined];
  },
};
