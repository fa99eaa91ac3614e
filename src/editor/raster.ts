// Rasterises a MaskLayer into a binary Uint8Array mask (0 or 255, row-major [H, W]) at any square resolution.
// Pure: no DOM, no canvas, no randomness; same layer + resolution → same bytes on every platform.
// Sampling rule: pixel (row i, col j) is painted when its centre ((j+½)·s, (i+½)·s), s = size / resolution,
// is inside the shape. Deliberate deviation: a stroke's radius is at least s/2, so thin strokes survive
// downsampling to the 16×16 attention grid instead of vanishing between pixel centres.
import type { ImagePoint } from './coords';
import type { FillOp, MaskLayer, MaskOp, PolygonOp, StrokeOp } from './model';

const ON = 255;

function paintStroke(out: Uint8Array, res: number, s: number, op: StrokeOp): void {
  const value = op.mode === 'add' ? ON : 0;
  const r = Math.max(op.radius, s / 2);
  const pts = op.points.length === 1 ? [op.points[0]!, op.points[0]!] : op.points;
  for (let k = 0; k + 1 < pts.length; k++) paintSegment(out, res, s, pts[k]!, pts[k + 1]!, r, value);
}

/** Capsule test: distance from the pixel centre to segment ab ≤ r. */
function paintSegment(out: Uint8Array, res: number, s: number, a: ImagePoint, b: ImagePoint, r: number, value: number): void {
  const j0 = Math.max(0, Math.floor((Math.min(a.x, b.x) - r) / s));
  const j1 = Math.min(res - 1, Math.ceil((Math.max(a.x, b.x) + r) / s));
  const i0 = Math.max(0, Math.floor((Math.min(a.y, b.y) - r) / s));
  const i1 = Math.min(res - 1, Math.ceil((Math.max(a.y, b.y) + r) / s));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  for (let i = i0; i <= i1; i++) {
    const py = (i + 0.5) * s;
    for (let j = j0; j <= j1; j++) {
      const px = (j + 0.5) * s;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
      const ex = px - (a.x + t * dx);
      const ey = py - (a.y + t * dy);
      if (ex * ex + ey * ey <= r * r) out[i * res + j] = value;
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
 * @returns Uint8Array [resolution, resolution], each byte 0 or 255
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
