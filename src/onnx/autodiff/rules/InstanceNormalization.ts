// Gradient rule for InstanceNormalization: y = x̂·γ[c] + β[c], statistics over the spatial axes of each (n, c)
// (normalize.ts eq. 1–2). dγ = Σ_{n,spatial} dy·x̂, dβ = Σ_{n,spatial} dy, dx from eq. (2) with g = dy·γ[c].
import { Mul } from '../../build/opset/Mul';
import { ReduceSum } from '../../build/opset/ReduceSum';
import { Reshape } from '../../build/opset/Reshape';
import { standardize, standardizeBackward } from '../normalize';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'InstanceNormalization',
  differentiable: [0, 1, 2],
  grad(ctx) {
    const x = ctx.x(0);
    const spatial = x.shape.map((_, i) => i).filter((i) => i >= 2);
    const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1)); // [1, C, 1, …]
    const dy = ctx.dy();
    const { xhat, rstd } = standardize(x, spatial, ctx.float('epsilon', 1e-5));
    const dx = ctx.needs(0) ? standardizeBackward(Mul(dy, Reshape(ctx.x(1), perChannel)), xhat, rstd, spatial) : undefined;
    const sumAxes = [0, ...spatial];
    const dScale = ctx.needs(1) ? ReduceSum(Mul(dy, xhat), sumAxes, false) : undefined;
    const dBias = ctx.needs(2) ? ReduceSum(dy, sumAxes, false) : undefined;
    return [dx, dScale, dBias];
  },
};
