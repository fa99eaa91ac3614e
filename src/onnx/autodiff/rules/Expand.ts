// Gradient rule for Expand: y = broadcast(x) ⇒ dx = dy summed over the broadcast axes (the walker's
// unbroadcast does exactly that). The shape input has no gradient.
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Expand', differentiable: [0], grad: (ctx) => [ctx.dy(), undefined] };
