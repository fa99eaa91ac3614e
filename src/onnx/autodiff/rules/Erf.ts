// Gradient rule for Erf: y = erf x ⇒ dx = dy · (2/√π) · exp(−x²).
import { Exp } from '../../build/opset/Exp';
import { Mul } from '../../build/opset/Mul';
import { negate, scale } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Erf',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    return [Mul(ctx.dy(), scale(Exp(negate(Mul(x, x))), 2 / Math.sqrt(Math.PI)))];
  },
};
