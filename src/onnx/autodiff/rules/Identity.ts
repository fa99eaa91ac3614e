// Gradient rule for Identity: dx = dy. (A stop-gradient Identity is never differentiated; see plan.ts.)
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Identity',
  differentiable: [0],
  grad: (ctx) => [ctx.dy()],
};
