// Gradient rule for Mul: y = a·b ⇒ da = dy·b, db = dy·a (the walker un-broadcasts).
import { Mul } from '../../build/opset/Mul';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Mul',
  differentiable: [0, 1],
  grad: (ctx) => [
    ctx.needs(0) ? Mul(ctx.dy(), ctx.x(1)) : undefined,
    ctx.needs(1) ? Mul(ctx.dy(), ctx.x(0)) : undefined,
  ],
};
