// Gradient rule for ReduceSumSquare (opset 17: axes attribute): y = Σ x² ⇒ dx = 2x · broadcast(dy).
import { Mul } from '../../build/opset/Mul';
import { expandReduced, normAxes, scale } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'ReduceSumSquare',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const given = ctx.ints('axes', []);
    const axes = given.length ? normAxes(given, x.rank) : x.shape.map((_, i) => i);
    return [Mul(scale(x, 2), expandReduced(ctx.dy(), x.shape, axes))];
  },
};
