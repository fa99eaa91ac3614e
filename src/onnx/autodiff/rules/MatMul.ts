// Gradient rule for MatMul (numpy semantics, batch broadcasting, 1-D operands promoted):
// Y = A·B ⇒ dA = dY·Bᵀ, dB = Aᵀ·dY on the promoted [.., M, K]·[.., K, N] forms; the walker sums the
// broadcast batch axes and reshapes back to the operand shapes (unbroadcast.ts).
import { MatMul } from '../../build/opset/MatMul';
import { Reshape } from '../../build/opset/Reshape';
import { Transpose } from '../../build/opset/Transpose';
import type { Var } from '../../build/Var';
import type { GradRule } from '../rule';

/** Swaps the last two axes ([.., M, K] → [.., K, M]). */
function swapLast(v: Var): Var {
  const perm = [...Array(v.rank).keys()];
  perm[v.rank - 1] = v.rank - 2;
  perm[v.rank - 2] = v.rank - 1;
  return Transpose(v, perm);
}

/** Removes the size-1 axis `axis` (negative) that promotion of a 1-D operand added. */
function dropAxis(v: Var, axis: number): Var {
  const shape = [...v.shape];
  shape.splice(v.rank + axis, 1);
  return Reshape(v, shape);
}

export const rule: GradRule = {
  opType: 'MatMul',
  differentiable: [0, 1],
  grad(ctx) {
    const a0 = ctx.x(0);
    const b0 = ctx.x(1);
    const a = a0.rank === 1 ? Reshape(a0, [1, a0.shape[0] as number]) : a0;
    const b = b0.rank === 1 ? Reshape(b0, [b0.shape[0] as number, 1]) : b0;
    const yShape = [...ctx.y().shape];
    if (a0.rank === 1) yShape.splice(yShape.length - (b0.rank === 1 ? 0 : 1), 0, 1);
    if (b0.rank === 1) yShape.push(1);
    const dy = ctx.dy().rank === yShape.length ? ctx.dy() : Reshape(ctx.dy(), yShape);
    const da = ctx.needs(0) ? MatMul(dy, swapLast(b)) : undefined;
    const db = ctx.needs(1) ? MatMul(swapLast(a), dy) : undefined;
    return [da && a0.rank === 1 ? dropAxis(da, -2) : da, db && b0.rank === 1 ? dropAxis(db, -1) : db];
  },
};
