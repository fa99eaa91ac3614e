// Gradient rule for Add: y = a + b ⇒ da = dy, db = dy (the walker un-broadcasts to each input's shape).
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Add',
  differentiable: [0, 1],
  grad: (ctx) => [ctx.dy(), ctx.dy()],
};
