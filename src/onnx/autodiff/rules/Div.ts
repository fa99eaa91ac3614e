// Gradient rule for Div: y = a / b ⇒ da = dy / b, db = −dy·a/b² = −(dy·y) / b (the walker un-broadcasts).
import { Div } from '../../build/opset/Div';
import { Mul } from '../../build/opset/Mul';
import { negate } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Div',
  differentiable: [0, 1],
  grad: (ctx) => [
    ctx.needs(0) ? Div(ctx.dy(), ctx.x(1)) : undefined,
    ctx.needs(1) ? negate(Div(Mul(ctx.dy(), ctx.y()), ctx.x(1))) : undefined,
  ],
};
