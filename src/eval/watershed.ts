// Splits one foreground component into touching objects: a marker watershed on its chamfer distance map
// (segment.ts step 4). Pure; no I/O. Notation: d(p) distance of mask pixel p to the outside, in pixels.
// Peaks merge in descending d (union-find); a lower peak becomes its own marker when peak − saddle ≥
// max(PROMINENCE_MIN, PROMINENCE_SHARE·peak), so a star's arms or a heart's lobes stay with their object.
import { neighbours8, SEG_SIZE } from './pixels';

/** Chamfer (3-4) distance of every mask pixel to the nearest pixel outside the mask or the image, in px. */
function distance(mask: Uint8Array): Float32Array {
  const s = SEG_SIZE;
  const d = new Float32Array(s * s);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= s || y >= s ? 0 : (d[y * s + x] as number));
  for (let p = 0; p < s * s; p++) d[p] = mask[p] ? 1e9 : 0;
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
    const p = y * s + x;
    if (mask[p]) d[p] = Math.min(d[p] as number, at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4);
  }
  for (let y = s - 1; y >= 0; y--) for (let x = s - 1; x >= 0; x--) {
    const p = y * s + x;
    if (mask[p]) d[p] = Math.min(d[p] as number, at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4);
  }
  return d.map((v) => v / 3);
}

/** A peak of the distance map survives a merge when peak − saddle ≥ max(PROMINENCE_MIN, PROMINENCE_SHARE·peak). */
const PROMINENCE_MIN = 2.5;
const PROMINENCE_SHARE = 0.4;

/**
 * (4) splits a component into touching objects: a marker watershed on its distance map. Pixels are visited in
 * descending distance (union-find); when regions meet, the lower peak becomes a marker of its own if it is
 * prominent (above), and each pixel then goes to the marker that reaches it first in the same order.
 */
export function split(mask: Uint8Array): Uint8Array[] {
  const d = distance(mask);
  const order = Array.from(mask.keys()).filter((p) => mask[p]).sort((a, b) => (d[b] as number) - (d[a] as number) || a - b);
  const parent = new Int32Array(mask.length).fill(-1);
  const peak = new Map<number, number>();
  const find = (p: number): number => (parent[p] === p ? p : (parent[p] = find(parent[p] as number)));
  const markers: number[] = [];
  for (const p of order) {
    parent[p] = p;
    peak.set(p, p);
    const roots = [...new Set(neighbours8(p).filter((q) => parent[q] !== -1 && q !== p).map(find))];
    roots.sort((a, b) => (d[peak.get(b) as number] as number) - (d[peak.get(a) as number] as number));
    for (const r of roots) {
      const top = d[peak.get(r) as number] as number;
      if (r !== roots[0] && top - (d[p] as number) >= Math.max(PROMINENCE_MIN, PROMINENCE_SHARE * top)) markers.push(peak.get(r) as number);
      parent[r] = roots[0] as number;
    }
    if (roots[0] !== undefined) parent[p] = roots[0];
  }
  if (!markers.length) return [mask];
  markers.push(order[0] as number);
  return flood(mask, d, order, markers);
}

/** Watershed flooding from `markers` in the visiting `order` (descending distance), 8-connected. */
function flood(mask: Uint8Array, d: Float32Array, order: number[], markers: number[]): Uint8Array[] {
  const owner = new Int32Array(mask.length).fill(-1);
  markers.forEach((m, k) => (owner[m] = k));
  for (let changed = true; changed;) {
    changed = false;
    for (const p of order) {
      if (owner[p] !== -1) continue;
      const q = neighbours8(p).filter((n) => owner[n] !== -1).sort((a, b) => (d[b] as number) - (d[a] as number))[0];
      if (q !== undefined) { owner[p] = owner[q] as number; changed = true; }
    }
  }
  return markers.map((_, k) => Uint8Array.from(owner, (o) => (o === k ? 1 : 0)));
}
