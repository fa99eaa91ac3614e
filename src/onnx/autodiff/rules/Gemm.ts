// Gradient rule for Gemm: Y = α·A′·B′ + β·C with A′ = transA ? Aᵀ : A, B′ = transB ? Bᵀ : B.
// dA′ = α·dY·B′ᵀ, dB′ = α·A′ᵀ·dY (transposed back when trans is set), dC = β·dY (un-broadcast by the walker).
import { MatMul } from '../../build/opset/MatMul';
import { Transpose } from '../../build/opset/Transpose';
import type { Var } from '../../build/Var';
import { scale } from '../helpers';
import type { GradRule } from '../rule';

function scaled(v: Var, c: number): Var {
  return c === 1 ? v : scale(v, c);
}

export const rule: GradRule = {
  opType: 'Gemm',
  differentiable: [0, 1, 2],
  grad(ctx) {
    const alpha = ctx.float('alpha', 1);
    const beta = ctx.float('beta', 1);
    const transA = ctx.int('transA', 0) === 1;
    const transB = ctx.int('transB', 0) === 1;
    const dy = ctx.dy();
    const a = transA ? Transpose(ctx.x(0)) : ctx.x(0);
    const b = transB ? Transpose(ctx.x(1)) : ctx.x(1);
    // dA = α·dY·B′ᵀ, or its transpose B′·dYᵀ when transA.
    const da = ctx.needs(0) ? scaled(transA ? MatMul(b, Transpose(dy)) : MatMul(dy, Transpose(b)), alpha) : undefined;
    // dB = α·A′ᵀ·dY, or its transpose dYᵀ·A′ when transB.
    const db = ctx.needs(1) ? scaled(transB ? MatMul(Transpose(dy), a) : MatMul(Transpose(a), dy), alpha) : undefined;
    const dc = ctx.needs(2) ? scaled(dy, beta) : undefined;
    return [da, db, dc];
  },
};
