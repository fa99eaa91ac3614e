// Gradient rule for Where(c, a, b): da = dy where c else 0, db = 0 where c else dy; the condition has none.
// The walker un-broadcasts each to its input's shape.
import { Where } from '../../build/opset/Where';
import { scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Where',
  differentiable: [1, 2],
  grad(ctx) {
    const c = ctx.x(0);
    const dy = ctx.dy();
    const zero = scalarLike(dy, 0);
    return [undefined, ctx.needs(1) ? Where(c, dy, zero) : undefined, ctx.needs(2) ? Where(c, zero, dy) : undefined];
  },
};
