// Rasterises a MaskLayer into a Uint8Array mask (0–255, row-major [H, W]) at any square resolution: 0/255
// except where a soft brush (StrokeOp.feather) ramps its edge.
// Pure: no DOM, no canvas, no randomness; same layer + resolution → same bytes on every platform.
// Sampling rule: pixel (row i, col j) is painted when its centre ((j+½)·s, (i+½)·s), s = size / resolution,
// is inside the shape. Deliberate deviation: a stroke's radius is at least s/2, so thin strokes survive
// downsampling to the 16×16 attention grid instead of vanishing between pixel centres.
import type { ImagePoint } from './coords';
import type { FillOp, MaskLayer, MaskOp, PolygonOp, RegionOp, StrokeOp } from './model';
import { decodeRuns } from './region';

const ON = 255;

function paintStroke(out: Uint8Array, res: number, s: number, op: StrokeOp): void {
  if (op.feather !== undefined && op.feather > 0) return paintSoftStroke(out, res, s, op);
  const value = op.mode === 'add' ? ON : 0;
  const r = Math.max(op.radius, s / 2);
  const pts = op.points.length === 1 ? [op.points[0]!, op.points[0]!] : op.points;
  // every segment's run per row first, then each row's union filled once (overlapping capsules are not repainted)
  const runs: number[][] = Array.from({ length: res }, () => []);
  for (let k = 0; k + 1 < pts.length; k++) segmentRuns(runs, res, s, pts[k]!, pts[k + 1]!, r);
  for (let i = 0; i < res; i++) {
    const row = runs[i] as number[];
    if (row.length === 0) continue;
    const order = Array.from({ length: row.length / 2 }, (_, k) => k).sort((u, v) => (row[2 * u] as number) - (row[2 * v] as number));
    let start = row[2 * (order[0] as number)] as number;
    let end = row[2 * (order[0] as number) + 1] as number;
    for (const k of order) {
      const a = row[2 * k] as number;
      const b = row[2 * k + 1] as number;
      if (a > end + 1) {
        out.fill(value, i * res + start, i * res + end + 1);
        start = a;
      }
      end = Math.max(end, b);
    }
    out.fill(value, i * res + start, i * res + end + 1);
  }
}

/** Pixel centre (px, py) within r of segment ab (the capsule test; pixel centres decide). */
function insideCapsule(px: number, py: number, a: ImagePoint, dx: number, dy: number, len2: number, r: number): boolean {
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
  const ex = px - (a.x + t * dx);
  const ey = py - (a.y + t * dy);
  return ex * ex + ey * ey <= r * r;
}

/**
 * The runs of segment ab's capsule, one per row, pushed as (first, last) pixel pairs. The capsule is convex, so its
 * section by the row y = py is one interval: the union of the sections of the two end discs and of the band
 * between them (0 ≤ t ≤ 1, |distance to the line| ≤ r: both linear in x). Rounding in that interval cannot change
 * a pixel: the two candidate pixels at each end take the exact per-pixel test; those between lie more than a pixel
 * inside. Cost per segment is its rows, not its bounding box (a 2,000-point stroke of the largest brush tested
 * ~74 M pixel centres).
 */
function segmentRuns(runs: number[][], res: number, s: number, a: ImagePoint, b: ImagePoint, r: number): void {
  const i0 = Math.max(0, Math.floor((Math.min(a.y, b.y) - r) / s));
  const i1 = Math.min(res - 1, Math.ceil((Math.max(a.y, b.y) + r) / s));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const rl = r * Math.sqrt(len2);
  for (let i = i0; i <= i1; i++) {
    const py = (i + 0.5) * s;
    let lo = Infinity;
    let hi = -Infinity;
    const ha = r * r - (py - a.y) * (py - a.y);
    if (ha >= 0) {
      const w = Math.sqrt(ha);
      lo = a.x - w;
      hi = a.x + w;
    }
    const hb = r * r - (py - b.y) * (py - b.y);
    if (hb >= 0) {
      const w = Math.sqrt(hb);
      lo = Math.min(lo, b.x - w);
      hi = Math.max(hi, b.x + w);
    }
    if (len2 > 0) {
      // band: 0 ≤ (x − ax)·dx + (py − ay)·dy ≤ len2 and −r·len ≤ (x − ax)·dy − (py − ay)·dx ≤ r·len
      let bl = -Infinity;
      let bh = Infinity;
      const ct = (py - a.y) * dy;
      if (dx !== 0) {
        const u = a.x + (0 - ct) / dx;
        const v = a.x + (len2 - ct) / dx;
        bl = Math.min(u, v);
        bh = Math.max(u, v);
      } else if (ct < 0 || ct > len2) bh = -Infinity;
      const cp = (py - a.y) * dx;
      if (dy !== 0) {
        const u = a.x + (cp - rl) / dy;
        const v = a.x + (cp + rl) / dy;
        bl = Math.max(bl, Math.min(u, v));
        bh = Math.min(bh, Math.max(u, v));
      } else if (Math.abs(cp) > rl) bh = -Infinity;
      if (bl <= bh) {
        lo = Math.min(lo, bl);
        hi = Math.max(hi, bh);
      }
    }
    if (lo > hi) continue;
    const jl = Math.max(0, Math.ceil(lo / s - 0.5) - 1);
    const jr = Math.min(res - 1, Math.floor(hi / s - 0.5) + 1);
    let first = jl;
    while (first <= jr && (first < jl + 2 || first > jr - 2) && !insideCapsule((first + 0.5) * s, py, a, dx, dy, len2, r)) first++;
    if (first > jr) continue;
    let last = jr;
    while (last > first && last > jr - 2 && !insideCapsule((last + 0.5) * s, py, a, dx, dy, len2, r)) last--;
    (runs[i] as number[]).push(first, last);
  }
}

/**
 * A soft stroke: strength 1 within radius − feather of the polyline, falling linearly to 0 at the radius
 * (feather capped at the radius), sampled at pixel centres. Add takes the larger value, erase keeps at most
 * 255 − strength. Per segment, only the pixels of its bounding box are measured (nearest distance kept).
 */
function paintSoftStroke(out: Uint8Array, res: number, s: number, op: StrokeOp): void {
  const r = Math.max(op.radius, s / 2);
  const f = Math.min(op.feather as number, r);
  const pts = op.points.length === 1 ? [op.points[0]!, op.points[0]!] : op.points;
  const d2 = new Float64Array(res * res).fill(Infinity);
  let [i0, i1, j0, j1] = [res, -1, res, -1];
  for (let k = 0; k + 1 < pts.length; k++) {
    const a = pts[k]!;
    const b = pts[k + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const ia = Math.max(0, Math.floor((Math.min(a.y, b.y) - r) / s));
    const ib = Math.min(res - 1, Math.ceil((Math.max(a.y, b.y) + r) / s));
    const ja = Math.max(0, Math.floor((Math.min(a.x, b.x) - r) / s));
    const jb = Math.min(res - 1, Math.ceil((Math.max(a.x, b.x) + r) / s));
    [i0, i1, j0, j1] = [Math.min(i0, ia), Math.max(i1, ib), Math.min(j0, ja), Math.max(j1, jb)];
    for (let i = ia; i <= ib; i++) {
      const py = (i + 0.5) * s;
      for (let j = ja; j <= jb; j++) {
        const px = (j + 0.5) * s;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
        const ex = px - (a.x + t * dx);
        const ey = py - (a.y + t * dy);
        const e = ex * ex + ey * ey;
        if (e < d2[i * res + j]!) d2[i * res + j] = e;
      }
    }
  }
  for (let i = i0; i <= i1; i++) {
    for (let j = j0; j <= j1; j++) {
      const d = Math.sqrt(d2[i * res + j]!);
      if (d >= r) continue;
      const v = Math.round(255 * Math.min(1, (r - d) / f));
      const p = i * res + j;
      out[p] = op.mode === 'add' ? Math.max(out[p]!, v) : Math.min(out[p]!, 255 - v);
    }
  }
}

/** A stored region, sampled at pixel centres (nearest cell of its side×side bitmap). */
function paintRegion(out: Uint8Array, res: number, op: RegionOp): void {
  const cells = decodeRuns(op.runs, op.side);
  const value = op.mode === 'add' ? ON : 0;
  for (let i = 0; i < res; i++) {
    const ci = Math.min(op.side - 1, Math.floor(((i + 0.5) * op.side) / res));
    for (let j = 0; j < res; j++) {
      const cj = Math.min(op.side - 1, Math.floor(((j + 0.5) * op.side) / res));
      if (cells[ci * op.side + cj] !== 0) out[i * res + j] = value;
    }
  }
}

/** Even–odd scanline fill at pixel centres. */
function paintPolygon(out: Uint8Array, res: number, s: number, op: PolygonOp): void {
  const pts = op.points;
  if (pts.length < 3) return;
  const value = op.mode === 'add' ? ON : 0;
  for (let i = 0; i < res; i++) {
    const py = (i + 0.5) * s;
    const xs: number[] = [];
    for (let k = 0; k < pts.length; k++) {
      const a = pts[k]!;
      const b = pts[(k + 1) % pts.length]!;
      if ((a.y <= py && b.y > py) || (b.y <= py && a.y > py)) xs.push(a.x + ((py - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    xs.sort((u, v) => u - v);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const jFrom = Math.max(0, Math.ceil(xs[k]! / s - 0.5));
      const jTo = Math.min(res - 1, Math.floor(xs[k + 1]! / s - 0.5));
      for (let j = jFrom; j <= jTo; j++) out[i * res + j] = value;
    }
  }
}

/** 4-connected flood fill of the unpainted region under `at`; a painted seed changes nothing. */
function paintFill(out: Uint8Array, res: number, s: number, op: FillOp): void {
  const j = Math.floor(op.at.x / s);
  const i = Math.floor(op.at.y / s);
  if (i < 0 || j < 0 || i >= res || j >= res || out[i * res + j] === ON) return;
  const stack = [i * res + j];
  out[i * res + j] = ON;
  while (stack.length > 0) {
    const p = stack.pop()!;
    const pi = Math.floor(p / res);
    const pj = p % res;
    const next = [pi > 0 ? p - res : -1, pi < res - 1 ? p + res : -1, pj > 0 ? p - 1 : -1, pj < res - 1 ? p + 1 : -1];
    for (const q of next) {
      if (q >= 0 && out[q] !== ON) {
        out[q] = ON;
        stack.push(q);
      }
    }
  }
}

function applyOp(out: Uint8Array, res: number, s: number, op: MaskOp): void {
  switch (op.kind) {
    case 'stroke':
      return paintStroke(out, res, s, op);
    case 'polygon':
      return paintPolygon(out, res, s, op);
    case 'fill':
      return paintFill(out, res, s, op);
    case 'region':
      return paintRegion(out, res, op);
    case 'clear':
      out.fill(0);
      return;
  }
}

/**
 * Rasterises one layer.
 * @param layer the operations, in training-square pixels
 * @param size side of the training square in image px (the space the ops live in)
 * @param resolution side of the output mask (e.g. 512, 64 latent, 16 attention)
 * @returns Uint8Array [resolution, resolution], 0 or 255 (values between only on a soft brush's edge)
 * @example rasterizeLayer(layer, 512, 16) // the 16×16 attention-grid mask
 */
export function rasterizeLayer(layer: MaskLayer, size: number, resolution: number): Uint8Array {
  if (!Number.isInteger(resolution) || resolution < 1) throw new RangeError(`rasterizeLayer: resolution must be a positive integer, got ${resolution}`);
  if (!(size > 0)) throw new RangeError(`rasterizeLayer: size (training-square side in px) must be > 0, got ${size}`);
  const out = new Uint8Array(resolution * resolution);
  const s = size / resolution;
  for (const op of layer.ops) applyOp(out, resolution, s, op);
  return out;
}

/**
 * Area-averaged mask: the layer rasterised at `fine` (a multiple of `resolution`, at least 512 / resolution
 * times finer) and each resolution cell the mean of its fine pixels, so coarse grids (latent 64, attention 16)
 * keep soft edges and partial coverage instead of one sample per cell.
 * @returns Uint8Array [resolution, resolution] of 0–255
 */
export function rasterizeLayerArea(layer: MaskLayer, size: number, resolution: number, fine = 512): Uint8Array {
  const f = Math.max(1, Math.ceil(fine / resolution));
  if (f === 1) return rasterizeLayer(layer, size, resolution);
  const hi = rasterizeLayer(layer, size, resolution * f);
  const side = resolution * f;
  const acc = new Float64Array(resolution * resolution);
  for (let y = 0; y < side; y++) {
    const row = Math.floor(y / f) * resolution;
    for (let x = 0; x < side; x++) acc[row + Math.floor(x / f)]! += hi[y * side + x]!;
  }
  return Uint8Array.from(acc, (v) => Math.round(v / (f * f)));
}

/** Fraction of painted pixels, in [0, 1]. */
export function coverage(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) if (v !== 0) n++;
  return mask.length === 0 ? 0 : n / mask.length;
}

/** Number of pixels painted in both masks (same resolution). */
export function overlapCount(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`overlapCount: masks differ in size (${a.length} vs ${b.length} pixels)`);
  let n = 0;
  for (let k = 0; k < a.length; k++) if (a[k] !== 0 && b[k] !== 0) n++;
  return n;
}
