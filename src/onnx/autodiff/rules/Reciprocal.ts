// Gradient rule for Reciprocal: y = 1/x ⇒ dx = −dy·y².
import { Mul } from '../../build/opset/Mul';
import { negate } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Reciprocal',
  differentiable: [0],
  grad(ctx) {
    const y = ctx.y();
    return [negate(Mul(ctx.dy(), Mul(y, y)))];
  },
};
