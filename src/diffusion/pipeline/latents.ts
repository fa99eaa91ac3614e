// Latent-space helpers of the text-to-image loop: seeded initial noise (one Rng per image, seed + i, as A1111
// does for a batch, so image i of a batch equals a single run with seed + i), per-step noise from the same
// stream, the VAE scaling, the latent→RGB preview approximation and [−1, 1] pixels → RGB bytes. Pure; no I/O.
// Reference: diffusers prepare_latents; ComfyUI latent_formats.SD15.latent_rgb_factors (preview).
import { Rng } from '../../lib/random';

/** Per-image seeded noise streams for a batch. */
export class BatchNoise {
  private readonly rngs: Rng[];

  /** @param perImage elements of one image's latent (C·h·w) */
  constructor(seed: number, batch: number, private readonly perImage: number) {
    this.rngs = Array.from({ length: batch }, (_, i) => new Rng((seed + i) >>> 0));
  }

  /** Unit-normal noise [B, C, h, w]; draws `perImage` values from each image's stream in turn. */
  next(): Float32Array {
    const out = new Float32Array(this.rngs.length * this.perImage);
    this.rngs.forEach((rng, i) => out.set(rng.normalArray(this.perImage), i * this.perImage));
    return out;
  }
}

/** x · s, elementwise, as a fresh array. */
export function scale(x: Float32Array, s: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) * s;
  return out;
}

/** SD 1.x latent → RGB factors [4, 3] (rows: latent channel; columns: R, G, B). */
const SD15_LATENT_RGB: readonly (readonly [number, number, number])[] = [
  [0.3512, 0.2297, 0.3227],
  [0.325, 0.4974, 0.235],
  [-0.2829, 0.1762, 0.2721],
  [-0.212, -0.2616, -0.7177],
];

/**
 * Cheap preview: unscaled latents x₀ [B, 4, h, w] → RGB bytes [B, h, w, 3] by a fixed linear map (no VAE run).
 * Channels beyond 4 are ignored; fewer than 4 use the rows that exist.
 */
export function latentPreview(x0: Float32Array, batch: number, channels: number, h: number, w: number): Uint8Array {
  const out = new Uint8Array(batch * h * w * 3);
  const hw = h * w;
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < hw; p++) {
      for (let k = 0; k < 3; k++) {
        let v = 0;
        for (let c = 0; c < Math.min(channels, 4); c++) v += (x0[(b * channels + c) * hw + p] as number) * ((SD15_LATENT_RGB[c] as readonly number[])[k] as number);
        out[(b * hw + p) * 3 + k] = toByte((v + 1) / 2);
      }
    }
  }
  return out;
}

function toByte(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

/** Decoder output [B, 3, H, W] in about [−1, 1] → RGB bytes [B, H, W, 3] (diffusers: (x / 2 + 0.5).clamp(0, 1)). */
export function pixelsToRgb(x: Float32Array, batch: number, h: number, w: number): Uint8Array {
  const out = new Uint8Array(batch * h * w * 3);
  const hw = h * w;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < hw; p++) out[(b * hw + p) * 3 + c] = toByte((x[(b * 3 + c) * hw + p] as number) / 2 + 0.5);
    }
  }
  return out;
}
