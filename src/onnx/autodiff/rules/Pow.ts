// Gradient rule for Pow: y = aᵇ ⇒ da = dy·b·a^(b−1), db = dy·y·ln a (db only defined for a > 0; usually b is
// a constant exponent and never differentiated).
import { Log } from '../../build/opset/Log';
import { Mul } from '../../build/opset/Mul';
import { Pow } from '../../build/opset/Pow';
import { Sub } from '../../build/opset/Sub';
import { scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Pow',
  differentiable: [0, 1],
  grad(ctx) {
    const a = ctx.x(0);
    const b = ctx.x(1);
    const da = ctx.needs(0) ? Mul(ctx.dy(), Mul(b, Pow(a, Sub(b, scalarLike(b, 1))))) : undefined;
    const db = ctx.needs(1) ? Mul(ctx.dy(), Mul(ctx.y(), Log(a))) : undefined;
    return [da, db];
  },
};
