// Gradient rule for Reshape: dx = Reshape(dy, x.shape); the shape input is not differentiable.
import { Reshape } from '../../build/opset/Reshape';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Reshape',
  differentiable: [0],
  grad: (ctx) => [Reshape(ctx.dy(), ctx.x(0).shape), undefined],
};
