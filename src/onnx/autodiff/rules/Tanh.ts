// Gradient rule for Tanh: y = tanh x ⇒ dx = dy · (1 − y²).
import { Mul } from '../../build/opset/Mul';
import { Sub } from '../../build/opset/Sub';
import { scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Tanh',
  differentiable: [0],
  grad(ctx) {
    const y = ctx.y();
    return [Mul(ctx.dy(), Sub(scalarLike(y, 1), Mul(y, y)))];
  },
};
