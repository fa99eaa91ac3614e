// Disentanglement scores of the reference image: soft IoU between two concepts' attention maps (low = apart) and
// between each concept's map and the user's mask (high = the token looks where it was painted). Pure functions.
// Soft IoU as DisenDiff's losses use it (docs/disendiff.md §2.7, without the +1 smoothing):
// IoU(a, b) = Σ aₚbₚ / (Σ aₚ + Σ bₚ − Σ aₚbₚ); equal to the plain IoU on 0/1 maps. Reference: the studio's disentanglement view.
import { emptyLayer, rasterizeLayer } from '../editor/index';
import { softIou } from '../train/index';
import type { TokenAttentionMap, TrainAttention } from './ports';
import type { Concept, MaskDoc } from './types';

/**
 * IoU(a, b) = Σ ab / (Σ a + Σ b − Σ ab) over equally long maps in [0, 1]: train/losses/softIou.ts `softIou` without
 * the loss's +1 smoothing; 0 when both are empty.
 */
export function mapIou(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`mapIou: maps have ${a.length} and ${b.length} values; resample one to the other's size first`);
  const iou = softIou(a, b, 0);
  return Number.isFinite(iou) ? iou : 0;
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
    return { conceptId: c.id, token: c.token, map, mask, maskIoU: mapIou(map.map, mask) };
  });
  const pairs: { a: string; b: string; iou: number }[] = [];
  for (let i = 0; i < scored.length; i++) {
    for (let j = i + 1; j < scored.length; j++) pairs.push({ a: scored[i]!.token, b: scored[j]!.token, iou: mapIou(scored[i]!.map.map, scored[j]!.map.map) });
  }
  return { step: attention.step, concepts: scored, pairs };
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

/** One probe of the calibration, per concept: binding = IoU of the modifier map with its class-word map (what L_bind
 *  raises, docs/disendiff.md §2.7), and the mean IoU between the class-word maps (what L_s&s lowers). */
export type CalibrationPoint = { readonly step: number; readonly binding: readonly { readonly token: string; readonly iou: number }[]; readonly classOverlap: number | null };

/**
 * The calibration over a run's attention snapshots. A snapshot holds the modifier maps (label = token) and the class
 * maps (label = class word, already squared as DisenDiff's suppression does). Concepts without both maps are skipped.
 */
export function calibrationCurve(history: readonly TrainAttention[], concepts: readonly Pick<Concept, 'token' | 'classWord'>[]): CalibrationPoint[] {
  return history.map((a) => {
    const pairs = concepts.flatMap((c) => {
      // modifiers first, then the class maps in the same order (two concepts may share a class word)
      const i = a.maps.findIndex((x) => x.token === c.token);
      const m = a.maps[i];
      const k = i >= 0 ? a.maps[a.maps.length / 2 + i] : undefined;
      if (k && k.token !== c.classWord) return [];
      return m && k && m.map.length === k.map.length ? [{ token: c.token, modifier: m.map, cls: k.map }] : [];
    });
    const overlaps: number[] = [];
    for (let i = 0; i < pairs.length; i++) for (let j = i + 1; j < pairs.length; j++) overlaps.push(mapIou(pairs[i]!.cls, pairs[j]!.cls));
    return {
      step: a.step,
      binding: pairs.map((p) => ({ token: p.token, iou: mapIou(p.modifier, p.cls) })),
      classOverlap: overlaps.length ? overlaps.reduce((x, y) => x + y, 0) / overlaps.length : null,
    };
  });
}
