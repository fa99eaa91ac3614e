// Gradient rule for Split: dx = Concat of the pieces' gradients along `axis`, zeros for pieces that do not
// reach the loss. The sizes input has no gradient.
import { Concat } from '../../build/opset/Concat';
import type { Var } from '../../build/Var';
import { zeros } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Split',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const axis = ctx.int('axis', 0);
    const a = axis < 0 ? axis + x.rank : axis;
    const parts = ctx.outputs.map((y, i) => ctx.dys[i] ?? zeros(ctx.b, x.dtype, (y as Var).shape));
    return [parts.length === 1 ? (parts[0] as Var) : Concat(parts, a), undefined];
  },
};
