// Gradient rule for Exp: y = eˣ ⇒ dx = dy·y.
import { Mul } from '../../build/opset/Mul';
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Exp', differentiable: [0], grad: (ctx) => [Mul(ctx.dy(), ctx.y())] };
