// Paints a rasterised mask (bytes 0–255, soft edges as partial alpha) into a canvas in the concept's colour, for Konva to display.
// Browser-only (canvas). Never changes the mask data. Reference: editor/raster.ts output layout [H, W].
import { rasterizeLayer } from '../../editor/index';
import type { MaskLayer } from '../../editor/index';

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const cache = new WeakMap<MaskLayer, { key: string; canvas: HTMLCanvasElement }>();

/** A `resolution`² canvas showing the layer in `color`; cached per layer object, size, resolution and colour. */
export function maskCanvas(layer: MaskLayer, size: number, resolution: number, color: string): HTMLCanvasElement {
  const key = `${size}|${resolution}|${color}`;
  const hit = cache.get(layer);
  if (hit && hit.key === key) return hit.canvas;
  const mask = rasterizeLayer(layer, size, resolution);
  const canvas = document.createElement('canvas');
  canvas.width = resolution;
  canvas.height = resolution;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(resolution, resolution);
  const [r, g, b] = hexToRgb(color);
  for (let k = 0; k < mask.length; k++) {
    if (mask[k] === 0) continue;
    img.data[4 * k] = r;
    img.data[4 * k + 1] = g;
    img.data[4 * k + 2] = b;
    img.data[4 * k + 3] = mask[k]!;
  }
  ctx.putImageData(img, 0, 0);
  cache.set(layer, { key, canvas });
  return canvas;
}
