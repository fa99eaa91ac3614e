// The page's image conversions for the engine, through the browser's own decoder (createImageBitmap +
// OffscreenCanvas): the training target (the reference crop at mask resolution plus one mask plane per concept),
// an edit's source square as RGBA pixels, and PNG bytes as a data URL for the gallery. Main thread only.
// Reference: engineClient.ts, trainingRun.ts.
import type { GenerateInit, TrainRequest } from '../state/index';
import { rgbFromBytes } from '../train/index';
import type { PlanarImage } from '../train/index';

/** [3 + n, s, s]: the reference crop at `maskResolution` (RGB in [−1, 1]) and each concept's mask as 0/1. */
export async function trainingTarget(req: TrainRequest): Promise<PlanarImage> {
  const size = req.maskResolution;
  const blob = await (await fetch(req.image.dataUrl)).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  const { x, y, size: s } = req.image.crop;
  ctx.drawImage(bitmap, x, y, s, s, 0, 0, size, size);
  const rgb = rgbFromBytes(ctx.getImageData(0, 0, size, size).data, size, size, 4);
  const n = size * size;
  const data = new Float32Array((3 + req.concepts.length) * n);
  data.set(rgb.data);
  // masks are 0–255 (soft-brush edges between): training takes them as 0..1 weights (train/loop/job.ts PersonalizeRequest.target)
  req.concepts.forEach((c, i) => data.set(Float32Array.from(c.mask, (v) => v / 255), (3 + i) * n));
  return { width: size, height: size, channels: 3 + req.concepts.length, data };
}

/** The edit's source square scaled to width × height, as RGBA bytes (as trainingTarget). */
export async function initPixels(init: GenerateInit, width: number, height: number): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(await (await fetch(init.dataUrl)).blob());
  const ctx = new OffscreenCanvas(width, height).getContext('2d') as OffscreenCanvasRenderingContext2D;
  const { x, y, size } = init.crop;
  ctx.drawImage(bitmap, x, y, size, size, 0, 0, width, height);
  return new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer);
}

/** PNG bytes as a `data:image/png;base64,…` URL. */
export function pngDataUrl(png: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(new Blob([png as BlobPart], { type: 'image/png' }));
  });
}
