// Gradient rule for Sin: y = sin x ⇒ dx = dy·cos x. (See Cos.ts on timestep embeddings.)
import { Cos } from '../../build/opset/Cos';
import { Mul } from '../../build/opset/Mul';
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Sin', differentiable: [0], grad: (ctx) => [Mul(ctx.dy(), Cos(ctx.x(0)))] };
