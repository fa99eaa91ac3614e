// Gradient rule for Squeeze: a reshape, so dx = Reshape(dy, x.shape); axes are not differentiable.
import { Reshape } from '../../build/opset/Reshape';
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Squeeze', differentiable: [0], grad: (ctx) => [Reshape(ctx.dy(), ctx.x(0).shape)] };
