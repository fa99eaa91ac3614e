// Gradient rule for Softmax (opset 13, one axis): dx = y ⊙ (dy − Σ_axis(dy ⊙ y)) (the softmax VJP).
import { Mul } from '../../build/opset/Mul';
import { Sub } from '../../build/opset/Sub';
import { sumKeep } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Softmax',
  differentiable: [0],
  grad(ctx) {
    const y = ctx.y();
    const dy = ctx.dy();
    const axis = ctx.int('axis', -1);
    const a = axis < 0 ? axis + y.rank : axis;
    return [Mul(y, Sub(dy, sumKeep(Mul(dy, y), [a])))];
  },
};
