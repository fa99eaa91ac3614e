// Min-SNR-γ loss weighting for ε-prediction (Hang et al. 2023, "Efficient Diffusion Training via Min-SNR
// Weighting Strategy", eq. 7 with the ε-parameterisation of §3.3):  w_t = min(SNR_t, γ) / SNR_t,
// SNR_t = ᾱ_t / (1 − ᾱ_t);  L = mean_b w_{t_b} · mean_{c,h,w}(ε − ε_θ)².
// Low-noise timesteps (SNR ≫ γ), whose ε-loss is about fine detail, are down-weighted; structure (which shape,
// which colour) is decided at SNR ≲ γ and keeps weight 1. Used by the default model's stage B. Pure + graph.
// Optional per-pixel weights m [B,1,H,W] (broadcast over channels): L = mean_b w_{t_b} · mean_{c,h,w} m·(ε − ε_θ)².
// Deliberate extension (not in the paper): the default model's stage B can weight object pixels up
// (1 + α·objectMap, src/train/base/data.ts), so the few latent pixels that carry an object's outline count more
// than the flat background around it.
import { GraphError } from '../../lib/errors';
import { op } from '../../onnx/index';
import type { Var } from '../../onnx/index';

/** Default γ of the paper. */
export const MIN_SNR_GAMMA = 5;

/** w_t = min(SNR_t, γ)/SNR_t for t = 0..T−1 (1 where SNR_t ≤ γ). */
export function minSnrWeights(alphasCumprod: ArrayLike<number>, gamma = MIN_SNR_GAMMA): Float32Array {
  if (!(gamma > 0)) throw new GraphError(`minSnrWeights: γ must be positive; got ${gamma}`);
  return Float32Array.from(alphasCumprod, (a) => {
    const snr = a / Math.max(1 - a, 1e-12);
    return Math.min(snr, gamma) / snr;
  });
}

/** CPU reference: mean over the batch of w_{t_b} times the per-sample ε-MSE ([B, C, H, W] row-major), each element
 * times `pixelWeights[b, h, w]` ([B, H·W], broadcast over C) when given. */
export function minSnrMse(pred: ArrayLike<number>, target: ArrayLike<number>, batch: number, timesteps: ArrayLike<number>, weights: ArrayLike<number>, pixelWeights?: ArrayLike<number>): number {
  const per = pred.length / batch;
  const hw = pixelWeights ? pixelWeights.length / batch : per;
  let total = 0;
  for (let b = 0; b < batch; b++) {
    let s = 0;
    for (let i = b * per; i < (b + 1) * per; i++) s += (pixelWeights ? (pixelWeights[b * hw + ((i - b * per) % hw)] as number) : 1) * ((pred[i] as number) - (target[i] as number)) ** 2;
    total += ((weights[timesteps[b] as number] as number) * s) / per;
  }
  return total / batch;
}

/** The Min-SNR-weighted ε-MSE as a scalar; `timestep` float32 [B] of integers, `weights` from minSnrWeights,
 * `pixelWeight` an optional [B, 1, H, W] per-pixel weight. */
export function minSnrMseGraph(pred: Var, target: Var, timestep: Var, weights: Float32Array, pixelWeight?: Var): Var {
  if (pred.shape.join() !== target.shape.join()) throw new GraphError(`minSnrMseGraph: prediction [${pred.shape}] and target [${target.shape}] differ`);
  const [B, , H, W] = pred.shape;
  if (pixelWeight && pixelWeight.shape.join() !== [B, 1, H, W].join()) throw new GraphError(`minSnrMseGraph: pixel weight [${pixelWeight.shape}] must be [${[B, 1, H, W]}]`);
  const b = pred.builder;
  const table = b.constant(weights, 'float32', [weights.length]);
  const w = op.Gather(table, op.Cast(timestep, 'int32'), 0);
  const d = op.Sub(pred, target);
  const sq = op.Mul(d, d);
  const perSample = op.ReduceMean(pixelWeight ? op.Mul(sq, pixelWeight) : sq, [1, 2, 3], false);
  return op.ReduceMean(op.Mul(perSample, w), undefined, false);
}
