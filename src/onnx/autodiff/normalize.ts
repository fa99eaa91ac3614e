// Shared maths of the normalisation rules (LayerNormalization, InstanceNormalization), recomputed from
// primitives so the backward graph needs no saved statistics. Notation over the normalised axes S, n = |S|:
//   μ = (1/n)Σ x,  σ² = (1/n)Σ (x−μ)²,  r = 1/√(σ²+ε),  x̂ = (x−μ)·r                         (1)
//   g = dL/dx̂  ⇒  dL/dx = r·(g − mean_S(g) − x̂·mean_S(g·x̂))                                 (2)
// Pure graph construction; statistics in the input dtype (float32 on WebGPU, never float16).
import { Add } from '../build/opset/Add';
import { Mul } from '../build/opset/Mul';
import { ReduceSum } from '../build/opset/ReduceSum';
import { Reciprocal } from '../build/opset/Reciprocal';
import { Sqrt } from '../build/opset/Sqrt';
import { Sub } from '../build/opset/Sub';
import type { Var } from '../build/Var';
import { numElements } from '../ir/dtype';
import { scalarLike, scale } from './helpers';

function meanKeep(v: Var, axes: readonly number[], n: number): Var {
  return scale(ReduceSum(v, axes, true), 1 / n);
}

/** Equation (1): x̂ and r over `axes` (kept dims, so both broadcast against x). */
export function standardize(x: Var, axes: readonly number[], epsilon: number): { xhat: Var; rstd: Var } {
  const n = numElements(axes.map((a) => x.shape[a] as number));
  const xc = Sub(x, meanKeep(x, axes, n));
  const variance = meanKeep(Mul(xc, xc), axes, n);
  const rstd = Reciprocal(Sqrt(Add(variance, scalarLike(x, epsilon))));
  return { xhat: Mul(xc, rstd), rstd };
}

/** Equation (2): gradient w.r.t. x given g = dL/dx̂ (same shape as x). */
export function standardizeBackward(g: Var, xhat: Var, rstd: Var, axes: readonly number[]): Var {
  const n = numElements(axes.map((a) => g.shape[a] as number));
  const centered = Sub(Sub(g, meanKeep(g, axes, n)), Mul(xhat, meanKeep(Mul(g, xhat), axes, n)));
  return Mul(rstd, centered);
}
