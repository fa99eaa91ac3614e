// Gradient rule for ReduceMean (opset 17: axes attribute): dx = broadcast(dy) / n, n = reduced element count.
import { expandReduced, normAxes, scale } from '../helpers';
import { numElements } from '../../ir/dtype';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'ReduceMean',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const given = ctx.ints('axes', []);
    const axes = given.length ? normAxes(given, x.rank) : x.shape.map((_, i) => i);
    const n = numElements(axes.map((a) => x.shape[a] as number));
    return [scale(expandReduced(ctx.dy(), x.shape, axes), 1 / n)];
  },
};
