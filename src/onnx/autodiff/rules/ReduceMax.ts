// Gradient rule for ReduceMax (opset 17: axes attribute): dy goes to the arg-max positions. Ties: dy is split
// evenly between all tied maxima (mask / count), as torch.amax does; exact ties are rare in float data.
import { Div } from '../../build/opset/Div';
import { Equal } from '../../build/opset/Equal';
import { Mul } from '../../build/opset/Mul';
import { ReduceSum } from '../../build/opset/ReduceSum';
import { Where } from '../../build/opset/Where';
import { expandReduced, keptShape, normAxes, scalarLike } from '../helpers';
import { Reshape } from '../../build/opset/Reshape';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'ReduceMax',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const given = ctx.ints('axes', []);
    const axes = given.length ? normAxes(given, x.rank) : x.shape.map((_, i) => i);
    const y = ctx.y();
    const yKept = y.rank === x.rank ? y : Reshape(y, keptShape(x.shape, axes));
    const mask = Where(Equal(x, yKept), scalarLike(x, 1), scalarLike(x, 0));
    const count = ReduceSum(mask, axes, true);
    return [Mul(Div(mask, count), expandReduced(ctx.dy(), x.shape, axes))];
  },
};
