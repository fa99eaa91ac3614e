// Branded pixel spaces of the mask editor, so a stage point can never be passed where an image point is due.
// Pure types and conversions: no DOM, no Konva. Reference: docs/house-style.md §11 (units and spaces),
// excalidraw packages/math/src/types.ts (branded points).

/** Screen pixels on the Konva stage (after zoom and pan). */
export type StagePx = number & { readonly __space: 'stage' };
/** Pixels of the training square (the cropped reference image), origin top-left. */
export type ImagePx = number & { readonly __space: 'image' };
/** Latent grid pixels (64×64 for SD 1.5 at 512). */
export type LatentPx = number & { readonly __space: 'latent' };
/** Cross-attention map pixels (16×16 in DisenDiff). */
export type AttnPx = number & { readonly __space: 'attn' };

export type Point<S extends number> = { readonly x: S; readonly y: S };
export type StagePoint = Point<StagePx>;
export type ImagePoint = Point<ImagePx>;

/** Zoom and pan of the stage: stage = image · scale + offset. */
export type View = { readonly scale: number; readonly offsetX: number; readonly offsetY: number };

export function imagePoint(x: number, y: number): ImagePoint {
  return { x: x as ImagePx, y: y as ImagePx };
}

export function stagePoint(x: number, y: number): StagePoint {
  return { x: x as StagePx, y: y as StagePx };
}

/** Inverse of the view transform: image = (stage − offset) / scale. */
export function stageToImage(p: StagePoint, view: View): ImagePoint {
  return imagePoint((p.x - view.offsetX) / view.scale, (p.y - view.offsetY) / view.scale);
}

/** The view transform: stage = image · scale + offset. */
export function imageToStage(p: ImagePoint, view: View): StagePoint {
  return stagePoint(p.x * view.scale + view.offsetX, p.y * view.scale + view.offsetY);
}

/** Zooms by `factor` keeping the stage point `anchor` fixed (wheel zoom under the cursor). */
export function zoomAt(view: View, anchor: StagePoint, factor: number, min = 0.1, max = 16): View {
  const scale = Math.min(max, Math.max(min, view.scale * factor));
  const k = scale / view.scale;
  return { scale, offsetX: anchor.x - (anchor.x - view.offsetX) * k, offsetY: anchor.y - (anchor.y - view.offsetY) * k };
}

/** A view that fits a square of side `size` image px centred in a `width`×`height` stage. */
export function fitView(size: number, width: number, height: number): View {
  const scale = Math.min(width, height) / size;
  return { scale, offsetX: (width - size * scale) / 2, offsetY: (height - size * scale) / 2 };
}
