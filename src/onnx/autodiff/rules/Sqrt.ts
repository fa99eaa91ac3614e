// Gradient rule for Sqrt: y = √x ⇒ dx = dy / (2y).
import { Div } from '../../build/opset/Div';
import { scale } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Sqrt', differentiable: [0], grad: (ctx) => [Div(ctx.dy(), scale(ctx.y(), 2))] };
