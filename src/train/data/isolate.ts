// Subset isolation (mask guidance, beyond DisenDiff and Break-A-Scene; docs/disendiff.md §10): when union sampling names
// only a subset S of the concepts, the other concepts are erased from the target view, so that a prompt naming
// only S is trained towards an image that shows only S. Break-A-Scene restricts L_base to ∪_{i∈S} M_i, which
// leaves the unnamed concepts' regions unsupervised: a model trained that way still draws concept j when only
// concept i is prompted (bench:disentangle's leakage). Here, per pixel:
//   E   = dilate(∪_{j∉S} M_j, r) ∖ ∪_{i∈S} M_i        (the erased region; r = dilation radius in pixels)
//   RGB on E = a harmonic-style fill from the background B = not (E ∪ dilate(∪_{i∈S} M_i, r)): onion peeling
//              (each pass sets the unknown pixels that touch known ones to the mean of their known 8-neighbours),
//              then `smoothing` Jacobi passes of the 4-neighbour mean on the unknown pixels; only E is written
//              back. Filling from B alone keeps a kept concept's colour from smearing into E where objects touch.
// and the loss region becomes ∪_{i∈S} M_i ∪ E (dataset.ts carries E as `erased`). The fill is exact for a flat
// background and a smooth guess for a photo: a user's real background behind the erased object is unknown.
// Pure; no randomness.
import type { PlanarImage } from './image';

export type Isolated = {
  /** the image with the erased region filled; mask channels unchanged */
  image: PlanarImage;
  /** E as 0/1 [H·W] */
  erased: Float32Array;
};

/** Pixels within Chebyshev distance r of a set pixel (square dilation). */
export function dilate(mask: ArrayLike<number>, width: number, height: number, r: number): Float32Array {
  const rows = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let dx = Math.max(0, x - r); dx <= Math.min(width - 1, x + r) && !v; dx++) v = (mask[y * width + dx] as number) > 0.5 ? 1 : 0;
      rows[y * width + x] = v;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let dy = Math.max(0, y - r); dy <= Math.min(height - 1, y + r) && !v; dy++) v = rows[dy * width + x] as number;
      out[y * width + x] = v;
    }
  }
  return out;
}

/**
 * Fills the pixels of `hole` (1 = unknown) in every channel of `data` ([C, H, W], C planes) from the known pixels
 * (see header). Returns false, leaving `data` unchanged, when no pixel is known. Linear in the hole's size per
 * peel ring (a frontier queue) plus `smoothing` passes; no per-pixel allocation.
 */
export function fillHoles(data: Float32Array, channels: number, width: number, height: number, hole: ArrayLike<number>, smoothing = 16): boolean {
  const hw = width * height;
  const known = new Uint8Array(hw);
  let holeCount = 0;
  for (let p = 0; p < hw; p++) {
    known[p] = (hole[p] as number) > 0.5 ? 0 : 1;
    if (!known[p]) holeCount++;
  }
  if (holeCount === hw) return false;
  const holes = new Int32Array(holeCount);
  for (let p = 0, k = 0; p < hw; p++) if (!known[p]) holes[k++] = p;
  const queued = new Uint8Array(hw);
  /** calls f(q) for the 8-neighbours q of p inside the image */
  const neighbours8 = (p: number, f: (q: number) => void): void => {
    const y = Math.floor(p / width), x = p - y * width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if ((dy || dx) && xx >= 0 && xx < width) f(yy * width + xx);
      }
    }
  };
  // onion peeling: the first ring is the unknown pixels touching known ones; each filled ring queues the next
  let frontier: number[] = [];
  for (const p of holes) {
    let touches = false;
    neighbours8(p, (q) => (touches ||= known[q] === 1));
    if (touches) { frontier.push(p); queued[p] = 1; }
  }
  const values = new Float64Array(holeCount * channels);
  while (frontier.length) {
    frontier.forEach((p, k) => {
      let count = 0;
      for (let c = 0; c < channels; c++) values[k * channels + c] = 0;
      neighbours8(p, (q) => {
        if (!known[q]) return;
        count++;
        for (let c = 0; c < channels; c++) values[k * channels + c] = (values[k * channels + c] as number) + (data[c * hw + q] as number);
      });
      for (let c = 0; c < channels; c++) values[k * channels + c] = (values[k * channels + c] as number) / count;
    });
    frontier.forEach((p, k) => {
      known[p] = 1;
      for (let c = 0; c < channels; c++) data[c * hw + p] = values[k * channels + c] as number;
    });
    const next: number[] = [];
    for (const p of frontier) neighbours8(p, (q) => { if (!known[q] && !queued[q]) { queued[q] = 1; next.push(q); } });
    frontier = next;
  }
  // Jacobi smoothing of the filled pixels: 4-neighbour mean, all holes updated from the previous pass
  for (let it = 0; it < smoothing; it++) {
    for (let k = 0; k < holeCount; k++) {
      const p = holes[k] as number;
      const y = Math.floor(p / width), x = p - y * width;
      const up = y > 0, down = y < height - 1, left = x > 0, right = x < width - 1;
      const count = +up + +down + +left + +right;
      for (let c = 0; c < channels; c++) {
        const o = c * hw + p;
        const sum = (up ? (data[o - width] as number) : 0) + (down ? (data[o + width] as number) : 0) + (left ? (data[o - 1] as number) : 0) + (right ? (data[o + 1] as number) : 0);
        values[k * channels + c] = sum / count;
      }
    }
    for (let k = 0; k < holeCount; k++) {
      const p = holes[k] as number;
      for (let c = 0; c < channels; c++) data[c * hw + p] = values[k * channels + c] as number;
    }
  }
  return true;
}

/**
 * The view of `image` ([3 + n, H, W]: RGB, then one mask per concept) that shows only the concepts with
 * `keep[i]`; the others are erased (see header). `radius` dilates the erased masks (default ⌈H/32⌉ px: masks
 * drawn by hand, and anti-aliased edges, miss a rim of the object).
 */
export function isolateConcepts(image: PlanarImage, keep: readonly boolean[], radius = Math.ceil(image.height / 32)): Isolated {
  const { width: w, height: h } = image;
  const hw = w * h;
  const n = image.channels - 3;
  if (keep.length !== n) throw new RangeError(`isolateConcepts: ${keep.length} keep flags for ${n} mask channel(s)`);
  const removed = new Float32Array(hw);
  const kept = new Float32Array(hw);
  keep.forEach((k, i) => {
    const m = image.data.subarray((3 + i) * hw, (4 + i) * hw);
    const into = k ? kept : removed;
    for (let p = 0; p < hw; p++) if ((m[p] as number) > 0.5) into[p] = 1;
  });
  const erased = dilate(removed, w, h, radius);
  for (let p = 0; p < hw; p++) if (kept[p]) erased[p] = 0;
  // fill from the background only: the kept concepts (and their anti-aliased rims) are holes of the fill too, so
  // that their colours do not smear into the erased region; only E is written back
  const keptRim = dilate(kept, w, h, radius);
  const hole = erased.map((v, p) => Math.max(v, keptRim[p] as number));
  const rgb = image.data.slice(0, 3 * hw);
  if (!fillHoles(rgb, 3, w, h, hole)) return { image, erased: new Float32Array(hw) };
  const data = image.data.slice();
  for (let c = 0; c < 3; c++) for (let p = 0; p < hw; p++) if (erased[p]) data[c * hw + p] = rgb[c * hw + p] as number;
  return { image: { ...image, data }, erased };
}
