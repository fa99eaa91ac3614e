// Gradient rule for Sigmoid: y = σ(x) ⇒ dx = dy · y · (1 − y).
import { Mul } from '../../build/opset/Mul';
import { Sub } from '../../build/opset/Sub';
import { scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Sigmoid',
  differentiable: [0],
  grad(ctx) {
    const y = ctx.y();
    return [Mul(ctx.dy(), Mul(y, Sub(scalarLike(y, 1), y)))];
  },
};
