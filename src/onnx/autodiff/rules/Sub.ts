// Gradient rule for Sub: y = a − b ⇒ da = dy, db = −dy (the walker un-broadcasts).
import { negate } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Sub',
  differentiable: [0, 1],
  grad: (ctx) => [ctx.dy(), ctx.needs(1) ? negate(ctx.dy()) : undefined],
};
