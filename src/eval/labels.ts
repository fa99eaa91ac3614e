// Ground truth for the per-object classifier: which world object each proposal shows (by pixel overlap with the
// renderer's coverage masks) and its one-hot targets. Pure; no I/O. A proposal is labelled with object k when
// at least LABEL_OVERLAP of its pixels are pixels of k (coverage ≥ 50%); merged proposals stay unlabelled.
import type { HostTensor } from '../runtime/index';
import { COLORS, PATTERNS, SHAPES } from '../world/index';
import type { WorldObject } from '../world/index';
import { HEADS, TOTAL_LOGITS } from './architecture';
import type { Proposal } from './segment';

/** An RGBA image: `rgba` is [size, size, 4] row-major, 0..255 (the shape renderScene returns). */
export type EvalImage = { size: number; rgba: Uint8ClampedArray | Uint8Array };

/** Share of a proposal's pixels that must belong to one object for the proposal to carry its label. */
export const LABEL_OVERLAP = 0.6;

/** For each proposal, the index of the scene object it shows, or −1 (no object owns ≥ LABEL_OVERLAP of it). */
export function matchProposals(proposals: readonly Proposal[], objectMasks: readonly Uint8Array[]): number[] {
  return proposals.map((p) => {
    let best = -1, bestOverlap = 0;
    objectMasks.forEach((m, k) => {
      let overlap = 0;
      for (let i = 0; i < m.length; i++) if (p.mask[i] && (m[i] as number) >= 128) overlap++;
      if (overlap > bestOverlap) { best = k; bestOverlap = overlap; }
    });
    return bestOverlap >= LABEL_OVERLAP * p.area ? best : -1;
  });
}

/** Objects → targets [B, 19]: one-hot shape, colour and pattern per row. */
export function toTargets(objects: readonly Pick<WorldObject, 'shape' | 'color' | 'pattern'>[], batch = objects.length): HostTensor {
  const data = new Float32Array(batch * TOTAL_LOGITS);
  objects.forEach((o, i) => {
    const row = i * TOTAL_LOGITS;
    data[row + HEADS.shape.offset + SHAPES.indexOf(o.shape)] = 1;
    data[row + HEADS.color.offset + COLORS.indexOf(o.color)] = 1;
    data[row + HEADS.pattern.offset + PATTERNS.indexOf(o.pattern)] = 1;
  });
  return { dtype: 'float32', dims: [batch, TOTAL_LOGITS], data };
}

