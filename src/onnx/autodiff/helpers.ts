// Small graph-building helpers shared by gradient rules: typed constants, negation, broadcasting, zeros.
// Pure graph construction; every constant takes the dtype of the value it combines with (float32 in the
// app, float64 in gradcheck), so rules never hard-code a float type.
import { Expand } from '../build/opset/Expand';
import { Mul } from '../build/opset/Mul';
import { ReduceSum } from '../build/opset/ReduceSum';
import { Reshape } from '../build/opset/Reshape';
import type { GraphBuilder } from '../build/GraphBuilder';
import type { Var } from '../build/Var';
import type { DType } from '../ir/types';

/** Scalar constant with `like`'s dtype (shape []). */
export function scalarLike(like: Var, value: number): Var {
  return like.builder.constant([value], like.dtype, []);
}

/** −v (Mul by −1: runs on every EP, no Neg kernel needed). */
export function negate(v: Var): Var {
  return Mul(v, scalarLike(v, -1), 'Neg');
}

/** v · c for a number c. */
export function scale(v: Var, c: number): Var {
  return Mul(v, scalarLike(v, c));
}

/** Broadcasts v to `shape` with Expand (v must broadcast to it). */
export function broadcastTo(v: Var, shape: readonly number[]): Var {
  return Expand(v, shape);
}

/** A zeros tensor [shape] of `dtype`: Expand of a scalar 0, so no big initializer is stored. */
export function zeros(b: GraphBuilder, dtype: DType, shape: readonly number[]): Var {
  return Expand(b.constant([0], dtype, []), shape, 'zeros');
}

/** Sum over `axes` keeping dims, i.e. the reduction whose gradient is a broadcast. */
export function sumKeep(v: Var, axes: readonly number[]): Var {
  return ReduceSum(v, axes, true);
}

/** Shape of a reduction result with keepdims=1, given the normalised axes. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Normalises possibly negative axes against `rank`. */
export function normAxes(axes: readonly number[], rank: number): number[] {
  return axes.map((a) => (a < 0 ? a + rank : a));
}

/** dy of a reduction (keepdims or not) broadcast back to the input shape [..x]. */
export function expandReduced(dy: Var, xShape: readonly number[], axes: readonly number[]): Var {
  const kept = keptShape(xShape, axes);
  const r = dy.shape.length === kept.length ? dy : Reshape(dy, kept);
  return broadcastTo(r, xShape);
}
