// Gradient rule for Relu: dx = dy where x > 0, else 0 (subgradient 0 at x = 0, as in torch).
import { Greater } from '../../build/opset/Greater';
import { Where } from '../../build/opset/Where';
import { scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Relu',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    return [Where(Greater(x, scalarLike(x, 0)), ctx.dy(), scalarLike(x, 0))];
  },
};
