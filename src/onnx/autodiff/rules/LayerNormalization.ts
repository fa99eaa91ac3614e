// Gradient rule for LayerNormalization (opset 17): y = x̂·γ + β over axes [axis, rank) (normalize.ts eq. 1–2).
// dγ = dy·x̂ and dβ = dy, which the walker sums down to γ/β's (trailing-aligned) shapes; dx from eq. (2) with
// g = dy·γ. Gradients into the optional Mean/InvStdDev outputs are not supported (GraphError).
import { Mul } from '../../build/opset/Mul';
import { standardize, standardizeBackward } from '../normalize';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'LayerNormalization',
  differentiable: [0, 1, 2],
  grad(ctx) {
    if (ctx.dys[1] || ctx.dys[2]) ctx.fail('the Mean/InvStdDev outputs reach the loss; differentiate through Y only');
    const x = ctx.x(0);
    const axis = ctx.int('axis', -1) < 0 ? ctx.int('axis', -1) + x.rank : ctx.int('axis', -1);
    const axes = x.shape.map((_, i) => i).filter((i) => i >= axis);
    const dy = ctx.dy();
    const { xhat, rstd } = standardize(x, axes, ctx.float('epsilon', 1e-5));
    const dx = ctx.needs(0) ? standardizeBackward(Mul(dy, ctx.x(1)), xhat, rstd, axes) : undefined;
    return [dx, ctx.needs(1) ? Mul(dy, xhat) : undefined, ctx.needs(2) ? dy : undefined];
  },
};
