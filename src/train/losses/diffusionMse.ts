// The base loss of DisenDiff (docs/disendiff.md §2.4): forward noising with the model's DDPM schedule,
//   z_t = √ᾱ_t·z_0 + √(1 − ᾱ_t)·ε   (DDPM, Ho et al. 2020, eq. 4)
// and the ε-prediction error at the released scale, per sample masked:
//   L_b = Σ_{c,h,w} m⊙(ε − ε_θ)² / Σ_{h,w} m,  L_base = mean_b L_b
// (released `src/model.py` `p_losses`: `(loss_simple * mask).sum([1, 2, 3]) / mask.sum([1, 2, 3])` with a ONE-channel
// mask [B,1,H,W]). The numerator sums over the C latent channels and the denominator counts one channel's mask
// pixels, so L_base = C × the per-element masked MSE (C = 4 on SD 1.5, 8 on the default model); the released
// balance of L_base against the λ = 0.01 calibration terms assumes this scale. Without a mask (all ones, as the
// released code with nothing pasted) it is C × the plain mean.
// Deviation: the denominator is clamped at 1e-8 so an all-zero mask gives 0, not NaN. CPU reference + graph.
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
        if (ch === 0) den += m;
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

/** The (masked) ε error at the released scale as a scalar; mask [B, 1, H, W] or undefined (all ones). */
export function maskedMseGraph(pred: Var, target: Var, mask?: Var): Var {
  const d = op.Sub(pred, target);
  const sq = op.Mul(d, d);
  const b = pred.builder;
  const channels = pred.shape[1] as number;
  if (!mask) return op.Mul(op.ReduceMean(sq, undefined, false), b.scalar(channels));
  const num = op.ReduceSum(op.Mul(sq, mask), [1, 2, 3], false);
  const den = op.Max(op.ReduceSum(mask, [1, 2, 3], false), b.scalar(1e-8));
  return op.ReduceMean(op.Div(num, den), undefined, false);
}
