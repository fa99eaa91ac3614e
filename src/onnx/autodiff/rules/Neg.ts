// Gradient rule for Neg: y = −x ⇒ dx = −dy.
import { Neg } from '../../build/opset/Neg';
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Neg', differentiable: [0], grad: (ctx) => [Neg(ctx.dy())] };
