// Gradient rule for elementwise Max (variadic, broadcasting): dy goes to the inputs equal to the output,
// split evenly between tied inputs (mask_i / Σ_j mask_j). The walker un-broadcasts. Min reuses it.
import { Add } from '../../build/opset/Add';
import { Div } from '../../build/opset/Div';
import { Equal } from '../../build/opset/Equal';
import { Mul } from '../../build/opset/Mul';
import { Where } from '../../build/opset/Where';
import type { Var } from '../../build/Var';
import { scalarLike } from '../helpers';
import type { GradContext, GradRule } from '../rule';

export function selectGrad(ctx: GradContext): (Var | undefined)[] {
  const y = ctx.y();
  const masks = ctx.inputs.map((x) => (x ? Where(Equal(x, y), scalarLike(y, 1), scalarLike(y, 0)) : undefined));
  const present = masks.filter((m): m is Var => m !== undefined);
  const count = present.slice(1).reduce((acc, m) => Add(acc, m), present[0] as Var);
  const share = Div(ctx.dy(), count);
  return masks.map((m, i) => (m && ctx.needs(i) ? Mul(m, share) : undefined));
}

export const rule: GradRule = { opType: 'Max', differentiable: [0, 1, 2, 3, 4, 5, 6, 7], grad: selectGrad };
