// Gradient rule for Abs: dx = dy·sign(x), with sign(0) taken as −1 (any subgradient in [−1, 1] is valid).
import { Greater } from '../../build/opset/Greater';
import { Where } from '../../build/opset/Where';
import { negate, scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Abs',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    return [Where(Greater(x, scalarLike(x, 0)), ctx.dy(), negate(ctx.dy()))];
  },
};
