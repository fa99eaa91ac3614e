// Disentanglement scores of the reference image: soft IoU between two concepts' attention maps (low = apart) and
// between each concept's map and the user's mask (high = the token looks where it was painted). Pure functions.
// Soft IoU as DisenDiff's losses use it (docs/disendiff.md §2.7, without the +1 smoothing):
// IoU(a, b) = Σ aₚbₚ / (Σ aₚ + Σ bₚ − Σ aₚbₚ); equal to the plain IoU on 0/1 maps. Reference: the studio's disentanglement view.
import { emptyLayer, rasterizeLayer } from '../editor/index';
import type { TokenAttentionMap, TrainAttention } from './ports';
import type { Concept, MaskDoc } from './types';

/** IoU(a, b) = Σ ab / (Σ a + Σ b − Σ ab) over equally long maps in [0, 1]; 0 when both are empty. */
export function softIoU(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`softIoU: maps have ${a.length} and ${b.length} values; resample one to the other's size first`);
  let both = 0;
  let sum = 0;
  for (let p = 0; p < a.length; p++) {
    both += a[p]! * b[p]!;
    sum += a[p]! + b[p]!;
  }
  return sum - both > 0 ? both / (sum - both) : 0;
}

/** Box-averages a square 0/255 mask [res, res] down to [height, width] values in [0, 1] (res a multiple of both). */
export function maskToGrid(mask: Uint8Array, res: number, width: number, height: number): Float32Array {
  if (mask.length !== res * res || res % width !== 0 || res % height !== 0) {
    throw new RangeError(`maskToGrid: a ${mask.length}-byte mask at ${res}² cannot be averaged down to ${width}×${height}; res must be a multiple of both`);
  }
  const bx = res / width;
  const by = res / height;
  const out = new Float32Array(width * height);
  for (let y = 0; y < res; y++) {
    for (let x = 0; x < res; x++) out[Math.floor(y / by) * width + Math.floor(x / bx)]! += (mask[y * res + x]! > 0 ? 1 : 0) / (bx * by);
  }
  return out;
}

export type ConceptOverlap = {
  readonly step: number;
  /** per concept with a map: its map, its mask at the map's size, and IoU(map, mask) */
  readonly concepts: readonly { readonly conceptId: string; readonly token: string; readonly map: TokenAttentionMap; readonly mask: Float32Array; readonly maskIoU: number }[];
  /** per pair of concepts with maps: IoU(map_i, map_j) */
  readonly pairs: readonly { readonly a: string; readonly b: string; readonly iou: number }[];
};

/**
 * Scores the learned concepts' maps (the modifier tokens' maps of `attention`) against the masks in `masks`.
 * @param cropSize side of the training square in reference px (the masks' coordinate space)
 */
export function conceptOverlap(attention: TrainAttention, concepts: readonly Concept[], masks: MaskDoc, cropSize: number): ConceptOverlap {
  const withMaps = concepts.flatMap((c) => {
    const map = attention.maps.find((m) => m.token === c.token);
    return map ? [{ c, map }] : [];
  });
  const scored = withMaps.map(({ c, map }) => {
    const res = lcm(map.width, map.height) * Math.max(1, Math.round(64 / lcm(map.width, map.height)));
    const mask = maskToGrid(rasterizeLayer(masks[c.id] ?? emptyLayer(c.id), cropSize, res), res, map.width, map.height);
    return { conceptId: c.id, token: c.token, map, mask, maskIoU: softIoU(map.map, mask) };
  });
  const pairs: { a: string; b: string; iou: number }[] = [];
  for (let i = 0; i < scored.length; i++) {
    for (let j = i + 1; j < scored.length; j++) pairs.push({ a: scored[i]!.token, b: scored[j]!.token, iou: softIoU(scored[i]!.map.map, scored[j]!.map.map) });
  }
  return { step: attention.step, concepts: scored, pairs };
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}
