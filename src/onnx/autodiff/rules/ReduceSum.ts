// Gradient rule for ReduceSum (axes as input, opset 13): dx = broadcast of dy (kept dims) to x.shape.
// Empty axes reduce everything unless noop_with_empty_axes=1, in which case dx = dy.
import { expandReduced, normAxes } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'ReduceSum',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const given = ctx.constInts(1) ?? [];
    if (!given.length && ctx.int('noop_with_empty_axes', 0) === 1) return [ctx.dy()];
    const axes = given.length ? normAxes(given, x.rank) : x.shape.map((_, i) => i);
    return [expandReduced(ctx.dy(), x.shape, axes)];
  },
};
