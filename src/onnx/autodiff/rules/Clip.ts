// Gradient rule for Clip: dx = dy where min ≤ x ≤ max, else 0 (as torch.clamp). min/max get no gradient.
import { And } from '../../build/opset/And';
import { GreaterOrEqual } from '../../build/opset/GreaterOrEqual';
import { LessOrEqual } from '../../build/opset/LessOrEqual';
import { Where } from '../../build/opset/Where';
import type { Var } from '../../build/Var';
import { scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Clip',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const lo = ctx.inputs[1];
    const hi = ctx.inputs[2];
    const conds: Var[] = [];
    if (lo) conds.push(GreaterOrEqual(x, lo));
    if (hi) conds.push(LessOrEqual(x, hi));
    if (conds.length === 0) return [ctx.dy()];
    const inside = conds.length === 2 ? And(conds[0] as Var, conds[1] as Var) : (conds[0] as Var);
    return [Where(inside, ctx.dy(), scalarLike(x, 0))];
  },
};
