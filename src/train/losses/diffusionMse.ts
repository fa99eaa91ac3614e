// The base loss of DisenDiff (docs/disendiff.md §2.4): forward noising with the model's DDPM schedule,
//   z_t = √ᾱ_t·z_0 + √(1 − ᾱ_t)·ε   (DDPM, Ho et al. 2020, eq. 4)
// and the ε-prediction MSE, per sample masked:  L_b = Σ m⊙(ε − ε_θ)² / (C·Σ m),  L_base = mean_b L_b
// Without a mask it is the plain mean. Deviations (docs/disendiff.md §10.6): the released `p_losses` divides by Σ m
// of ONE channel (C × this value, C = 4 for SD 1.5), so λ = 0.01 weighs the calibration terms 4× more here; and the
// denominator is clamped at 1e-8 so an all-zero mask gives 0, not NaN. CPU reference + graph.
import { GraphError } from '../../lib/errors';
import { op } from '../../onnx/index';
import type { Var } from '../../onnx/index';

/**
 * CPU reference of the (masked) ε-MSE.
 * @param pred ε_θ, [B, C, H, W] row-major; @param target ε, same shape
 * @param mask [B, 1, H, W] (0..1) or undefined for the plain mean
 */
export function maskedMse(pred: ArrayLike<number>, target: ArrayLike<number>, dims: readonly [number, number, number, number], mask?: ArrayLike<number>): number {
  const [bsz, c, h, w] = dims;
  const hw = h * w;
  let total = 0;
  for (let b = 0; b < bsz; b++) {
    let num = 0;
    let den = 0;
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < hw; p++) {
        const i = (b * c + ch) * hw + p;
        const m = mask ? (mask[b * hw + p] as number) : 1;
        num += m * ((pred[i] as number) - (target[i] as number)) ** 2;
        den += m;
      }
    }
    total += num / Math.max(den, 1e-8);
  }
  return total / bsz;
}

/**
 * z_t inside the graph: √ᾱ and √(1−ᾱ) are constant tables [T] gathered at the timestep.
 * @param z0 clean latents [B, C, H, W]; @param noise ε, same shape
 * @param timestep float32 [B] holding integers 0..T−1 (the UNet's `timestep` input)
 * @param alphasCumprod ᾱ_t for t = 0..T−1 (diffusion's alphasCumprod(betas))
 */
export function addNoiseGraph(z0: Var, noise: Var, timestep: Var, alphasCumprod: ArrayLike<number>): Var {
  if (z0.shape.join() !== noise.shape.join()) throw new GraphError(`addNoiseGraph: latents [${z0.shape}] and noise [${noise.shape}] differ`);
  const b = z0.builder;
  const t = alphasCumprod.length;
  const sqrtA = b.constant(Float32Array.from(alphasCumprod, (a) => Math.sqrt(a)), 'float32', [t]);
  const sqrtOneMinusA = b.constant(Float32Array.from(alphasCumprod, (a) => Math.sqrt(1 - a)), 'float32', [t]);
  const idx = op.Cast(timestep, 'int32');
  const col = [z0.shape[0] as number, 1, 1, 1];
  const a = op.Reshape(op.Gather(sqrtA, idx, 0), col);
  const s = op.Reshape(op.Gather(sqrtOneMinusA, idx, 0), col);
  return op.Add(op.Mul(a, z0), op.Mul(s, noise));
}

/** The (masked) ε-MSE as a scalar; mask [B, 1, H, W] or undefined. */
export function maskedMseGraph(pred: Var, target: Var, mask?: Var): Var {
  const d = op.Sub(pred, target);
  const sq = op.Mul(d, d);
  if (!mask) return op.ReduceMean(sq, undefined, false);
  const b = pred.builder;
  const channels = pred.shape[1] as number;
  const num = op.ReduceSum(op.Mul(sq, mask), [1, 2, 3], false);
  const den = op.Max(op.Mul(op.ReduceSum(mask, [1, 2, 3], false), b.scalar(channels)), b.scalar(1e-8));
  return op.ReduceMean(op.Div(num, den), undefined, false);
}
