// Object crops for the per-object classifier: the square around a proposal's box (side = max(w, h) + 2·MARGIN),
// bilinearly resampled to 32×32, as 4 channels: RGB normalised x = (v/255 − 0.5)/0.25 and the proposal mask
// m ∈ {0, 1} mapped to 2m − 1 (so the network knows which pixels are this object). Pure; no I/O.
// Samples outside the image repeat the nearest edge pixel (the mask there is 0).
import type { HostTensor } from '../runtime/index';
import { CROP_CHANNELS, CROP_SIZE } from './architecture';
import { SEG_SIZE } from './segment';
import type { Proposal, Rgb64 } from './segment';

const MARGIN = 2;

/**
 * One crop to cut: the image, the proposal, and two training augmentations: mirror it left ↔ right, and
 * `channels` (output channel c takes input channel channels[c], a colour permutation).
 */
export type CropSpec = { rgb: Rgb64; proposal: Proposal; flip?: boolean; channels?: readonly [number, number, number] };

/** Bilinear sample of plane `src` [64, 64] at (x, y) in pixel-centre coordinates, edges clamped. */
function bilinear(src: ArrayLike<number>, x: number, y: number): number {
  const cx = Math.min(SEG_SIZE - 1, Math.max(0, x));
  const cy = Math.min(SEG_SIZE - 1, Math.max(0, y));
  const x0 = Math.min(SEG_SIZE - 2, Math.floor(cx));
  const y0 = Math.min(SEG_SIZE - 2, Math.floor(cy));
  const [fx, fy] = [cx - x0, cy - y0];
  const at = (xx: number, yy: number) => src[yy * SEG_SIZE + xx] as number;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Writes crop `spec` into `out` ([B, 4, 32, 32]) at batch index `i`. */
export function writeCrop(spec: CropSpec, out: Float32Array, i: number): void {
  const [x0, y0, x1, y1] = spec.proposal.box;
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1) + 2 * MARGIN;
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  const step = side / CROP_SIZE;
  const plane = SEG_SIZE * SEG_SIZE;
  const cplane = CROP_SIZE * CROP_SIZE;
  const rgbPlanes = (spec.channels ?? [0, 1, 2]).map((c) => spec.rgb.subarray(c * plane, (c + 1) * plane));
  const base = i * CROP_CHANNELS * cplane;
  for (let v = 0; v < CROP_SIZE; v++) {
    for (let u = 0; u < CROP_SIZE; u++) {
      const su = spec.flip ? CROP_SIZE - 1 - u : u;
      const x = cx + (su + 0.5 - CROP_SIZE / 2) * step;
      const y = cy + (v + 0.5 - CROP_SIZE / 2) * step;
      const o = base + v * CROP_SIZE + u;
      rgbPlanes.forEach((pl, c) => (out[o + c * cplane] = (bilinear(pl, x, y) / 255 - 0.5) / 0.25));
      const inside = x > -0.5 && y > -0.5 && x < SEG_SIZE - 0.5 && y < SEG_SIZE - 0.5;
      out[o + 3 * cplane] = 2 * (inside ? bilinear(spec.proposal.mask, x, y) : 0) - 1;
    }
  }
}

/** Crops → float32 [batch, 4, 32, 32]; slots after specs.length stay zero (padding). */
export function cropBatch(specs: readonly CropSpec[], batch = specs.length): HostTensor {
  if (specs.length > batch) throw new RangeError(`cropBatch: ${specs.length} crops do not fit a batch of ${batch}`);
  const data = new Float32Array(batch * CROP_CHANNELS * CROP_SIZE * CROP_SIZE);
  specs.forEach((s, i) => writeCrop(s, data, i));
  return { dtype: 'float32', dims: [batch, CROP_CHANNELS, CROP_SIZE, CROP_SIZE], data };
}
