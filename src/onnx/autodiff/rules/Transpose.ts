// Gradient rule for Transpose: y = transpose(x, p) ⇒ dx = transpose(dy, p⁻¹) with p⁻¹[p[i]] = i.
import { Transpose } from '../../build/opset/Transpose';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Transpose',
  differentiable: [0],
  grad(ctx) {
    const rank = ctx.x(0).rank;
    const perm = ctx.ints('perm', [...Array(rank).keys()].reverse());
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [Transpose(ctx.dy(), inverse)];
  },
};
