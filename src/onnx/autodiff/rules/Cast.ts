// Gradient rule for Cast between float types: dx = Cast(dy, x.dtype). A cast from or to a non-float type
// carries no gradient (non-float values are cut by the planner, plan.ts).
import { Cast } from '../../build/opset/Cast';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Cast',
  differentiable: [0],
  grad: (ctx) => [ctx.dy().dtype === ctx.x(0).dtype ? ctx.dy() : Cast(ctx.dy(), ctx.x(0).dtype)],
};
