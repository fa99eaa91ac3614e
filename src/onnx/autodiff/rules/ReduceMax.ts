// Gradient rule for ReduceMax (ReduceMin reuses extremumGrad) (opset 17: axes attribute): dy goes to the arg-max positions. Ties: dy is split
// evenly between all tied maxima (mask / count), as torch.amax does; exact ties are rare in float data.
import { Div } from '../../build/opset/Div';
import { Equal } from '../../build/opset/Equal';
import { Mul } from '../../build/opset/Mul';
import { ReduceSum } from '../../build/opset/ReduceSum';
import { Where } from '../../build/opset/Where';
import { expandReduced, keptShape, normAxes, scalarLike } from '../helpers';
import { Reshape } from '../../build/opset/Reshape';
import type { Var } from '../../build/Var';
import type { GradContext, GradRule } from '../rule';

/** Shared by ReduceMax and ReduceMin: dy to the positions equal to the reduced value, split evenly on ties. */
export function extremumGrad(ctx: GradContext): Var {
  const x = ctx.x(0);
  const given = ctx.ints('axes', []);
  const axes = given.length ? normAxes(given, x.rank) : x.shape.map((_, i) => i);
  const y = ctx.y();
  const yKept = y.rank === x.rank ? y : Reshape(y, keptShape(x.shape, axes));
  const mask = Where(Equal(x, yKept), scalarLike(x, 1), scalarLike(x, 0));
  const count = ReduceSum(mask, axes, true);
  return Mul(Div(mask, count), expandReduced(ctx.dy(), x.shape, axes));
}

export const rule: GradRule = { opType: 'ReduceMax', differentiable: [0], grad: (ctx) => [extremumGrad(ctx)] };
