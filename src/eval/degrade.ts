// Image degradations for the evaluator's training and its robustness figures: a separable Gaussian blur and
// additive Gaussian pixel noise on an RGBA image. Generated images come out of a VAE decoder with slightly soft
// edges; an evaluator trained only on the renderer's crisp edges called 42 % of the shapes in faithful VAE
// reconstructions wrong (stars "diamond", triangles "square"), so training crops are degraded with these.
// Pure: all randomness comes from the Rng argument.
import type { Rng } from '../lib/random';
import type { EvalImage } from './labels';

/** Gaussian blur σ in pixels (0 = none) and noise standard deviation in 0..255 units. */
export type Degradation = { blurSigma: number; noiseStd: number };

/** Share of training scenes that are degraded, and the ranges drawn uniformly for them. */
export const DEGRADE_SHARE = 0.6;
export const BLUR_RANGE = [0.3, 1.5] as const;
export const NOISE_RANGE = [0, 8] as const;
/** The fixed degradation of the "degraded" test figures (evaluator card). */
export const TEST_DEGRADATION: Degradation = { blurSigma: 1, noiseStd: 4 };

/** A training scene's degradation, or undefined (crisp) with probability 1 − DEGRADE_SHARE. */
export function sampleDegradation(rng: Rng): Degradation | undefined {
  if (rng.uniform() >= DEGRADE_SHARE) return undefined;
  const blurSigma = BLUR_RANGE[0] + (BLUR_RANGE[1] - BLUR_RANGE[0]) * rng.uniform();
  const noiseStd = NOISE_RANGE[0] + (NOISE_RANGE[1] - NOISE_RANGE[0]) * rng.uniform();
  return { blurSigma, noiseStd };
}

/** Normalised 1-D Gaussian taps for σ (radius ⌈3σ⌉); [1] for σ ≤ 0. */
export function gaussianTaps(sigma: number): Float32Array {
  if (!(sigma > 0)) return Float32Array.of(1);
  const r = Math.ceil(3 * sigma);
  const taps = Float32Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/** One blur pass along x (dx = 1) or y over channel c of an RGBA float buffer, edges clamped. */
function pass(src: Float32Array, dst: Float32Array, size: number, taps: Float32Array, alongX: boolean): void {
  const r = (taps.length - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = -r; k <= r; k++) {
          const xx = alongX ? Math.min(size - 1, Math.max(0, x + k)) : x;
          const yy = alongX ? y : Math.min(size - 1, Math.max(0, y + k));
          v += (taps[k + r] as number) * (src[(yy * size + xx) * 4 + c] as number);
        }
        dst[(y * size + x) * 4 + c] = v;
      }
    }
  }
}

/** The degraded copy of `img` (alpha kept); noise is drawn from `rng`. */
export function degradeImage(img: EvalImage, d: Degradation, rng: Rng): EvalImage {
  const n = img.size * img.size;
  const a = Float32Array.from(img.rgba);
  const taps = gaussianTaps(d.blurSigma);
  if (taps.length > 1) {
    const b = new Float32Array(a.length);
    pass(a, b, img.size, taps, true);
    pass(b, a, img.size, taps, false);
  }
  const rgba = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round((a[p * 4 + c] as number) + (d.noiseStd > 0 ? d.noiseStd * rng.normal() : 0));
    rgba[p * 4 + 3] = img.rgba[p * 4 + 3] as number;
  }
  return { size: img.size, rgba };
}
