// Custom Diffusion / DisenDiff target-image scale augmentation (docs/disendiff.md §2.3; Custom Diffusion
// `src/finetune_data.py` `__getitem__`), generalised from 512 px / factor 8 to any resolution R and VAE factor f:
//   s ~ U{⌊R/3⌋..R} w.p. 2/3, else U{⌊1.2R⌋..⌊1.4R⌋−1}; s odd → s+1.
//   s < 0.6R: resize to s, paste centred at (cy, cx) ~ U{s/2..R−s/2}² on zeros, prefix "a far away "|"very small ",
//             loss mask = the pasted square in latent pixels shrunk by one on each side;
//   s > R:    resize to s, crop R centred at U{R/2..s−R/2}², prefix "zoomed in "|"close up ", mask ones;
//   else:     resize to R, mask ones.   Plus the horizontal flip (p = 0.5). Pure; randomness only from the Rng.
import { ConfigError } from '../../lib/errors';
import type { Rng } from '../../lib/random';
import { checkImage, crop, flipHorizontal, paste, resizeSquare, zeros } from './image';
import type { PlanarImage } from './image';

/** Which branch of the scale augmentation ran. */
export type ScaleBranch = 'small' | 'large' | 'plain';

/** Prefixes per branch, as in Custom Diffusion (`np.random.choice`). */
export const SCALE_PREFIXES: Readonly<Record<ScaleBranch, readonly string[]>> = {
  small: ['a far away ', 'very small '],
  large: ['zoomed in ', 'close up '],
  plain: [''],
};

export type AugmentOptions = {
  /** training resolution R in pixels (512 for SD 1.5) */
  resolution: number;
  /** VAE down-sampling factor f (8 for SD); R must be a multiple of f */
  latentFactor: number;
  /** apply the scale augmentation (target images); false = plain resize (regularisation images) */
  isScaleAugmented: boolean;
  /** horizontal flip probability (0.5 in §2.3) */
  flipProbability: number;
};

export type Augmented = {
  /** [C, R, R]: the image channels, then any mask channels, with the same geometry */
  image: PlanarImage;
  /** [R/f, R/f] loss mask in latent pixels (1 = counts in L_base) */
  lossMask: Float32Array;
  /** caption prefix to prepend ("" for the plain branch) */
  prefix: string;
  branch: ScaleBranch;
  /** the drawn (even) scale s in pixels */
  scale: number;
  isFlipped: boolean;
};

/** Draws s per the header (2/3 small-or-plain range, 1/3 zoom range), rounded up to even. */
export function drawScale(rng: Rng, resolution: number): number {
  const r = resolution;
  const s = rng.int(0, 2) < 2 ? rng.int(Math.floor(r / 3), r) : rng.int(Math.floor(1.2 * r), Math.floor(1.4 * r) - 1);
  return s % 2 === 1 ? s + 1 : s;
}

/** The branch for scale s: small below 0.6R, large above R, plain otherwise. */
export function branchOf(scale: number, resolution: number): ScaleBranch {
  if (scale < 0.6 * resolution) return 'small';
  return scale > resolution ? 'large' : 'plain';
}

/** Latent mask of the pasted square [c0−s/2, c0+s/2) per axis: ⌊·/f⌋ + 1 .. ⌊·/f⌋ − 1 (exclusive end). */
function pastedMask(res: number, f: number, cy: number, cx: number, s: number): Float32Array {
  const n = res / f;
  const mask = new Float32Array(n * n);
  const h = s / 2;
  const y0 = Math.floor((cy - h) / f) + 1;
  const y1 = Math.floor((cy + h) / f) - 1;
  const x0 = Math.floor((cx - h) / f) + 1;
  const x1 = Math.floor((cx + h) / f) - 1;
  for (let y = Math.max(y0, 0); y < Math.min(y1, n); y++) for (let x = Math.max(x0, 0); x < Math.min(x1, n); x++) mask[y * n + x] = 1;
  return mask;
}

function checkOptions(o: AugmentOptions): void {
  if (!(Number.isInteger(o.resolution) && Number.isInteger(o.latentFactor) && o.latentFactor > 0 && o.resolution % o.latentFactor === 0 && o.resolution >= 2 * o.latentFactor)) {
    throw new ConfigError(`augment: resolution ${o.resolution} must be a positive multiple of the VAE factor ${o.latentFactor} (e.g. 512 and 8)`);
  }
  if (!(o.flipProbability >= 0 && o.flipProbability <= 1)) throw new ConfigError(`augment: flipProbability ${o.flipProbability} must be in [0, 1]`);
}

/**
 * One augmented view of a square image (the caller centre-crops first). Draw order, fixed for determinism:
 * flip, then (when augmenting) scale, prefix, centre.
 * @param image [C, S, S] image (+ mask channels) — any S; resized here
 * @throws ConfigError for a non-square image or a bad resolution / factor
 */
export function augment(image: PlanarImage, rng: Rng, o: AugmentOptions): Augmented {
  checkImage(image, 'augment');
  checkOptions(o);
  if (image.width !== image.height) throw new ConfigError(`augment: image is ${image.width}×${image.height}; centre-crop it to a square first (centerSquare)`);
  const r = o.resolution;
  const isFlipped = rng.uniform() < o.flipProbability;
  const src = isFlipped ? flipHorizontal(image) : image;
  const ones = new Float32Array((r / o.latentFactor) ** 2).fill(1);
  if (!o.isScaleAugmented) return { image: resizeSquare(src, r), lossMask: ones, prefix: '', branch: 'plain', scale: r, isFlipped };
  const scale = drawScale(rng, r);
  const branch = branchOf(scale, r);
  const prefix = rng.pick(SCALE_PREFIXES[branch]);
  const h = scale / 2;
  if (branch === 'small') {
    const cy = rng.int(h, r - h);
    const cx = rng.int(h, r - h);
    const placed = paste(zeros(image.channels, r, r), resizeSquare(src, scale), cy - h, cx - h);
    return { image: placed, lossMask: pastedMask(r, o.latentFactor, cy, cx, scale), prefix, branch, scale, isFlipped };
  }
  if (branch === 'large') {
    const cy = rng.int(r / 2, scale - r / 2);
    const cx = rng.int(r / 2, scale - r / 2);
    return { image: crop(resizeSquare(src, scale), cy - r / 2, cx - r / 2, r, r), lossMask: ones, prefix, branch, scale, isFlipped };
  }
  return { image: resizeSquare(src, r), lossMask: ones, prefix, branch, scale, isFlipped };
}
