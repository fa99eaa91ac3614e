// Gradient rule for CumSum: the adjoint of a running sum is the running sum in the other direction, with the
// same exclusive flag: dx = CumSum(dy, axis, reverse = ¬reverse). The axis input has no gradient.
import { CumSum } from '../../build/opset/CumSum';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'CumSum',
  differentiable: [0],
  grad(ctx) {
    const axis = (ctx.constInts(1) ?? [0])[0] as number;
    return [CumSum(ctx.dy(), axis, { exclusive: ctx.int('exclusive', 0) === 1, reverse: ctx.int('reverse', 0) !== 1 }), undefined];
  },
};
