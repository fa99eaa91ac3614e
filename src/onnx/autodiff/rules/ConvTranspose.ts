// Gradient rule for ConvTranspose: y = ConvTranspose(x, w) is the input-adjoint of z = Conv(u, w) with the
// same strides/pads/dilations/group (w [C, M/g, *K] is that Conv's weight, mapping M → C channels). Hence
// dx = Conv(dy, w, same attributes) (output_padding only adds rows that Conv's floor drops), dw = the Conv
// weight gradient with u := dy and dz := x (Conv.ts convWeightGrad), dBias = Σ_{n, spatial} dy.
import { Conv } from '../../build/opset/Conv';
import { ReduceSum } from '../../build/opset/ReduceSum';
import type { GradRule } from '../rule';
import { convGeometry, convWeightGrad } from './Conv';

export const rule: GradRule = {
  opType: 'ConvTranspose',
  differentiable: [0, 1, 2],
  grad(ctx) {
    const geo = convGeometry(ctx);
    const dy = ctx.dy();
    const dx = ctx.needs(0) ? Conv(dy, ctx.x(1), undefined, { strides: geo.strides, pads: geo.pads, dilations: geo.dilations, group: geo.group }) : undefined;
    const dw = ctx.needs(1) ? convWeightGrad(dy, ctx.x(0), geo) : undefined;
    const spatial = Array.from({ length: geo.sp }, (_, i) => i + 2);
    return [dx, dw, ctx.needs(2) ? ReduceSum(dy, [0, ...spatial], false) : undefined];
  },
};
