// The serializable mask document: each concept owns one layer, a list of operations in training-square pixels.
// Masks are data, never Konva nodes; raster.ts turns them into bytes at any resolution.
// No DOM, no React, no Konva. Reference: the studio's mask editor, docs/house-style.md §9 (editor/model.ts).
import type { ImagePoint, ImagePx } from './coords';

/**
 * Freehand paint (mode 'add') or erase (mode 'erase'): a capsule of `radius` along the polyline. With `feather`
 * > 0 (a soft brush) the edge ramps linearly from full strength at distance radius − feather to nothing at radius.
 */
export type StrokeOp = {
  readonly kind: 'stroke';
  readonly mode: 'add' | 'erase';
  readonly radius: ImagePx;
  readonly points: readonly ImagePoint[];
  readonly feather?: ImagePx;
};

/** A closed polygon or lasso (even–odd fill), adding or erasing. */
export type PolygonOp = {
  readonly kind: 'polygon';
  readonly mode: 'add' | 'erase';
  readonly points: readonly ImagePoint[];
};

/** Flood fill (4-connected) of the unpainted region that contains `at`. */
export type FillOp = { readonly kind: 'fill'; readonly at: ImagePoint };

/**
 * A stored region (magic-wand fill, edges snapped to superpixels): a `side`×`side` bitmap over the training
 * square, run-length coded row-major as alternating lengths of off and on cells, starting with off
 * (`runs` sums to side²). The region itself is the data, not the seed and tolerance, so a layer rasterises
 * without the reference's pixels and the same everywhere (see CONTEXT.md).
 */
export type RegionOp = {
  readonly kind: 'region';
  readonly mode: 'add' | 'erase';
  readonly side: number;
  readonly runs: readonly number[];
};

/** Erases the whole layer. */
export type ClearOp = { readonly kind: 'clear' };

export type MaskOp = StrokeOp | PolygonOp | FillOp | RegionOp | ClearOp;

/** One concept's mask: operations applied in order over an empty square of side `size` image px. */
export type MaskLayer = {
  readonly conceptId: string;
  readonly ops: readonly MaskOp[];
};

export function emptyLayer(conceptId: string): MaskLayer {
  return { conceptId, ops: [] };
}

export function appendOp(layer: MaskLayer, op: MaskOp): MaskLayer {
  return { ...layer, ops: [...layer.ops, op] };
}

/** True when the layer paints nothing visible for sure (no op, or the last add is followed by a clear). */
export function hasNoPaint(layer: MaskLayer): boolean {
  const lastClear = layer.ops.map((o) => o.kind).lastIndexOf('clear');
  return !layer.ops.slice(lastClear + 1).some((o) => o.kind === 'fill' || ('mode' in o && o.mode === 'add'));
}
