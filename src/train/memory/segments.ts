// Recomputation models on top of a liveness schedule: nodes are grouped into checkpoint segments (a UNet block,
// or one UNet layer for per-block sessions); a value produced and read only inside its segment's forward, and
// saved for the backward, is freed after its forward use and live again from that segment's first backward
// node (its forward is recomputed there). Values read by another segment (forward or backward) are the kept
// boundaries. Pure.
// Reference: Chen et al. 2016 "Training Deep Nets with Sublinear Memory Cost" §3 (checkpoint at segment ends).
import type { Node } from '../../onnx/index';
import type { LiveBuffer, Schedule } from './liveness';

/** How a node maps to a checkpoint segment: its key, or undefined when the node is never recomputed. */
export type SegmentOf = (node: Node) => string | undefined;

const BLOCK = /^(?:grad\/(?:sum\/)?)?unet\/(down_blocks\.\d+|mid_block|up_blocks\.\d+)[./]/;
const LAYER = /^(?:grad\/(?:sum\/)?)?unet\/((?:down_blocks\.\d+|up_blocks\.\d+)\.(?:resnets|attentions|downsamplers|upsamplers)\.\d+|mid_block\.(?:resnets|attentions)\.\d+)[./]/;

/** One segment per UNet block (down_blocks.i, mid_block, up_blocks.i): activation checkpointing. */
export const unetBlockSegment: SegmentOf = (n) => BLOCK.exec(n.name)?.[1];
/** One segment per UNet layer (resnets.j, attentions.j, samplers): the granularity of per-block sessions. */
export const unetLayerSegment: SegmentOf = (n) => LAYER.exec(n.name)?.[1];

/** Backward nodes are the autodiff's `grad/…` nodes; everything else (forward, losses, update) is forward. */
export function isBackwardNode(n: Node): boolean {
  return n.name.startsWith('grad/');
}

type Usage = { segment: string | undefined; lastForward: number; hasBackwardReader: boolean; isCrossing: boolean };

function usages(s: Schedule, segmentOf: SegmentOf): Map<string, Usage> {
  const u = new Map<string, Usage>();
  s.order.forEach((n, step) => {
    const seg = segmentOf(n);
    const isForward = !isBackwardNode(n);
    for (const o of n.outputs) if (isForward && o && s.bufferOf.has(o)) u.set(o, { segment: seg, lastForward: step, hasBackwardReader: false, isCrossing: seg === undefined });
    for (const r of n.inputs) {
      const v = r ? u.get(r) : undefined;
      if (!v) continue;
      if (isBackwardNode(n)) {
        v.hasBackwardReader = true;
        if (segmentOf(n) !== v.segment) v.isCrossing = true;
      } else if (segmentOf(n) === v.segment) v.lastForward = step;
      else v.isCrossing = true;
    }
  });
  for (const [name, v] of u) if ((s.lastUse.get(name) ?? 0) >= s.order.length) v.isCrossing = true;
  return u;
}

/** First step of each segment's backward (where its forward would be recomputed). */
function backwardStarts(s: Schedule, segmentOf: SegmentOf): Map<string, number> {
  const starts = new Map<string, number>();
  s.order.forEach((n, step) => {
    const seg = isBackwardNode(n) ? segmentOf(n) : undefined;
    if (seg !== undefined && !starts.has(seg)) starts.set(seg, step);
  });
  return starts;
}

/**
 * Buffers re-timed for recomputation, plus a per-step scratch holding each segment's widest forward-only
 * temporary at its recompute step (the recompute allocates it again for a moment).
 */
export function recomputedBuffers(s: Schedule, segmentOf: SegmentOf): { buffers: LiveBuffer[]; scratch: Float64Array } {
  const use = usages(s, segmentOf);
  const starts = backwardStarts(s, segmentOf);
  const scratch = new Float64Array(s.order.length + 1);
  const buffers = s.buffers.map((b) => {
    const vs = b.values.map((v) => use.get(v)).filter((v): v is Usage => v !== undefined);
    const seg = vs[0]?.segment;
    const start = seg === undefined ? undefined : starts.get(seg);
    const span = b.intervals[0] as [number, number];
    if (start === undefined || vs.some((v) => v.isCrossing || v.segment !== seg)) return b;
    if (!vs.some((v) => v.hasBackwardReader)) {
      scratch[start] = Math.max(scratch[start] as number, b.bytes);
      return b;
    }
    const lastForward = Math.max(...vs.map((v) => v.lastForward));
    if (start <= lastForward || start > span[1]) return b;
    return { ...b, intervals: [[span[0], lastForward], [start, span[1]]] as [number, number][] };
  });
  return { buffers, scratch };
}
