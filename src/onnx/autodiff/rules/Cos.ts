// Gradient rule for Cos: y = cos x ⇒ dx = −dy·sin x. (In the UNet, Cos/Sin act on the timestep embedding,
// which is not trainable: the planner never reaches them; the rule exists for completeness.)
import { Mul } from '../../build/opset/Mul';
import { Sin } from '../../build/opset/Sin';
import { negate } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = { opType: 'Cos', differentiable: [0], grad: (ctx) => [negate(Mul(ctx.dy(), Sin(ctx.x(0))))] };
