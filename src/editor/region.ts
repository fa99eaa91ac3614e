// Regions as data: run-length coding of a square bitmap (RegionOp), the reference's pixels over the training
// square (PixelSquare), and the magic wand: a 4-connected flood over those pixels within a colour tolerance.
// Pure: no DOM, no canvas; the UI decodes the reference into a PixelSquare (ui/canvas/referencePixels.ts).
import type { ImagePoint } from './coords';
import type { RegionOp } from './model';

/** The reference image over the training square: `side`×`side` RGBA bytes, row-major (as ImageData.data). */
export type PixelSquare = { readonly side: number; readonly data: Uint8Array | Uint8ClampedArray };

/** The wand's tolerance range and default (max channel difference from the seed colour, 0–255). */
export const WAND_TOLERANCE = { min: 0, max: 255, default: 32 } as const;

/** Run-length codes a side×side bitmap (non-zero = on): alternating off/on lengths, starting with off. */
export function encodeRuns(bitmap: Uint8Array): number[] {
  const runs: number[] = [];
  let on = false;
  let n = 0;
  for (const v of bitmap) {
    if (v !== 0 === on) n++;
    else {
      runs.push(n);
      on = !on;
      n = 1;
    }
  }
  runs.push(n);
  return runs;
}

/** The side×side bitmap (0/255) of `runs`. @throws RangeError when the runs do not cover side² cells exactly */
export function decodeRuns(runs: readonly number[], side: number): Uint8Array {
  const out = new Uint8Array(side * side);
  let at = 0;
  runs.forEach((n, k) => {
    if (k % 2 === 1) out.fill(255, at, at + n);
    at += n;
  });
  if (at !== side * side) throw new RangeError(`region runs cover ${at} cells, a ${side}×${side} region has ${side * side}`);
  return out;
}

/** A RegionOp of the bitmap (side×side, non-zero = in the region). */
export function regionOp(bitmap: Uint8Array, side: number, mode: 'add' | 'erase'): RegionOp {
  if (bitmap.length !== side * side) throw new RangeError(`regionOp: bitmap has ${bitmap.length} cells, side ${side} needs ${side * side}`);
  return { kind: 'region', mode, side, runs: encodeRuns(bitmap) };
}

/**
 * Magic wand: the 4-connected region of cells whose colour is within `tolerance` of the seed cell's colour
 * (largest absolute RGB channel difference ≤ tolerance, as GIMP's "select by colour" threshold), as a bitmap.
 * @param at the seed in training-square px; `size` is the square's side in those px
 * @returns side×side 0/255, all zero when the seed is outside the square
 */
export function wandRegion(pixels: PixelSquare, at: ImagePoint, size: number, tolerance: number): Uint8Array {
  const { side, data } = pixels;
  const out = new Uint8Array(side * side);
  const j = Math.floor((at.x / size) * side);
  const i = Math.floor((at.y / size) * side);
  if (!(i >= 0 && j >= 0 && i < side && j < side)) return out;
  const seed = 4 * (i * side + j);
  const [r, g, b] = [data[seed]!, data[seed + 1]!, data[seed + 2]!];
  const near = (p: number): boolean => Math.max(Math.abs(data[4 * p]! - r), Math.abs(data[4 * p + 1]! - g), Math.abs(data[4 * p + 2]! - b)) <= tolerance;
  const stack = [i * side + j];
  out[i * side + j] = 255;
  while (stack.length > 0) {
    const p = stack.pop()!;
    const pi = Math.floor(p / side);
    const pj = p - pi * side;
    const next = [pi > 0 ? p - side : -1, pi < side - 1 ? p + side : -1, pj > 0 ? p - 1 : -1, pj < side - 1 ? p + 1 : -1];
    for (const q of next) {
      if (q >= 0 && out[q] === 0 && near(q)) {
        out[q] = 255;
        stack.push(q);
      }
    }
  }
  return out;
}

/** Box-averaged copy of the pixels at a smaller side (`side` must divide evenly or is floored per cell). */
export function downsamplePixels(pixels: PixelSquare, side: number): PixelSquare {
  if (side >= pixels.side) return pixels;
  const src = pixels.side;
  const data = new Uint8ClampedArray(side * side * 4);
  for (let i = 0; i < side; i++) {
    const y0 = Math.floor((i * src) / side);
    const y1 = Math.max(y0 + 1, Math.floor(((i + 1) * src) / side));
    for (let j = 0; j < side; j++) {
      const x0 = Math.floor((j * src) / side);
      const x1 = Math.max(x0 + 1, Math.floor(((j + 1) * src) / side));
      const acc = [0, 0, 0, 0];
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 4; c++) acc[c]! += pixels.data[4 * (y * src + x) + c]!;
      const n = (y1 - y0) * (x1 - x0);
      for (let c = 0; c < 4; c++) data[4 * (i * side + j) + c] = Math.round(acc[c]! / n);
    }
  }
  return { side, data };
}
