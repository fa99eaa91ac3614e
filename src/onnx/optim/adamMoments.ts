// The Adam moment update and bias-corrected step shared by AdamW (decoupled decay) and Adam (L2 decay).
// Pure graph building. Reference: torch/optim/adamw.py `_single_tensor_adamw` (torch 1.13, non-capturable).
//
// Notation: θ parameter, g gradient, m/v first/second moments, t = step (1-based), η = lr, β1, β2, ε.
//   (A1) m ← β1·m + (1−β1)·g            (A2) v ← β2·v + (1−β2)·g²
//   (A3) bc1 = 1 − β1^t, bc2 = 1 − β2^t   (A4) denom = √v / √bc2 + ε
//   (A5) θ ← θ − (η / bc1) · m / denom, computed as (A5′) θ ← θ − (η·√bc2 / bc1) · m / (√v + ε·√bc2), the same
//   value with the bias-correction scalars folded (one full-size op less per parameter).
// Deviations: torch computes bc1, bc2 and η/bc1 in float64 on the host; here they are float32 graph values
// (relative error ≈ 1e-5 for bc2 at t = 1, well inside test tolerances); (A5′) rounds differently from (A4, A5).
import type { GraphBuilder } from '../build/GraphBuilder';
import type { Var } from '../build/Var';
import * as op from '../build/opset/index';

/** Adam hyper-parameters (torch defaults). */
export type AdamHyper = { beta1: number; beta2: number; eps: number };

/** Scalars shared by all parameters of one step (A3, A5′): η·√bc2 / bc1 and ε·√bc2. */
export type AdamScalars = { stepSize: Var; eps: Var };

/** (A3): bias corrections from the `step` input, folded into the (A5′) scalars. */
export function adamScalars(b: GraphBuilder, lr: Var, step: Var, h: AdamHyper): AdamScalars {
  const one = b.scalar(1);
  const bc1 = op.Sub(one, op.Pow(b.scalar(h.beta1), step));
  const bc2Sqrt = op.Sqrt(op.Sub(one, op.Pow(b.scalar(h.beta2), step)));
  return { stepSize: op.Div(op.Mul(lr, bc2Sqrt), bc1), eps: op.Mul(b.scalar(h.eps), bc2Sqrt) };
}

/**
 * (A1, A2, A5′) for one tensor: returns the new θ and moments. `gSquared` is g² when the caller already has it
 * (updateGraph's norm computation), saving one full-size Mul.
 */
export function adamMoments(b: GraphBuilder, theta: Var, g: Var, m: Var, v: Var, h: AdamHyper, s: AdamScalars, gSquared?: Var): { param: Var; m: Var; v: Var } {
  const mNext = op.Add(op.Mul(m, b.scalar(h.beta1)), op.Mul(g, b.scalar(1 - h.beta1)));
  const vNext = op.Add(op.Mul(v, b.scalar(h.beta2)), op.Mul(gSquared ?? op.Mul(g, g), b.scalar(1 - h.beta2)));
  const param = op.Sub(theta, op.Mul(op.Div(mNext, op.Add(op.Sqrt(vNext), s.eps)), s.stepSize));
  return { param, m: mNext, v: vNext };
}

/** Fails with a teaching message when a hyper-parameter is outside torch's accepted range. */
export function checkAdamHyper(graphName: string, h: AdamHyper, weightDecay: number): string | undefined {
  if (!(h.beta1 >= 0 && h.beta1 < 1)) return `${graphName}: beta1 must be in [0, 1), got ${h.beta1}`;
  if (!(h.beta2 >= 0 && h.beta2 < 1)) return `${graphName}: beta2 must be in [0, 1), got ${h.beta2}`;
  if (!(h.eps >= 0)) return `${graphName}: eps must be ≥ 0, got ${h.eps}`;
  if (!(weightDecay >= 0)) return `${graphName}: weightDecay must be ≥ 0, got ${weightDecay}`;
  return undefined;
}
