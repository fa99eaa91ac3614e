// Gradient rule for Log: y = ln x ⇒ dx = dy / x.
import { Div } from '../../build/opset/Div';
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Log', differentiable: [0], grad: (ctx) => [Div(ctx.dy(), ctx.x(0))] };
