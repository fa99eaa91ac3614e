// "Inpaint area: Only masked" (A1111 inpaint_full_res, with inpaint_full_res_padding): the feathered mask's bounding
// box plus padding, widened or heightened to the generation's aspect, is cut out of the init, resized to the
// generation size and inpainted there; the result is resized back to the box and pasted through the full-size
// feathered mask, so every pixel the feathered mask does not reach is the init's byte. Pure; no I/O.
// Reference: AUTOMATIC1111 modules/masking.py get_crop_region_v2 (PIL getbbox ± pad, clamped) and
// expand_crop_region (transcribed below); modules/processing.py StableDiffusionProcessingImg2Img.init (crop the
// blurred mask and the image, resize both to width × height; paste_to; infotext "Inpaint area: Only masked",
// "Masked area padding") and apply_overlay / uncrop (resize back to the box, paste, overlay the original).
// Deviation: resizing is bilinear (src/diffusion/image/heatmap.ts resizeBilinear) where A1111 uses LANCZOS or an
// upscaler (images.resize_image).
import { resizeBilinear } from '../image/heatmap';
import { blendPixels } from './mask';
import type { AttentionMaps } from './attentionMaps';

/** A pixel box, A1111's crop_region (x1, y1, x2, y2): x2 and y2 exclusive. */
export type CropBox = { x1: number; y1: number; x2: number; y2: number };

/** A1111's default "Only masked padding, pixels" (img2img UI slider, 0…256). */
export const DEFAULT_MASKED_PADDING = 32;
export const MAX_MASKED_PADDING = 256;

/**
 * get_crop_region_v2: the bounding box of the mask's non-zero pixels (PIL getbbox) grown by `pad` on every side and
 * clamped to the image; undefined for an all-zero mask.
 */
export function maskCropRegion(mask: ArrayLike<number>, width: number, height: number, pad: number): CropBox | undefined {
  let [x1, y1, x2, y2] = [width, height, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((mask[y * width + x] as number) === 0) continue;
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x + 1);
      y2 = Math.max(y2, y + 1);
    }
  }
  if (x2 === 0) return undefined;
  return { x1: Math.max(x1 - pad, 0), y1: Math.max(y1 - pad, 0), x2: Math.min(x2 + pad, width), y2: Math.min(y2 + pad, height) };
}

/**
 * expand_crop_region: grows the box's short side (centred, then shifted back inside the image) until its aspect is
 * the processing size's; `int()` truncates as Python's does.
 */
export function expandCropRegion(box: CropBox, processingWidth: number, processingHeight: number, imageWidth: number, imageHeight: number): CropBox {
  const { x1, y1, x2, y2 } = box;
  const ratioProcessing = processingWidth / processingHeight;
  if ((x2 - x1) / (y2 - y1) > ratioProcessing) {
    const [top, bottom] = growSpan(y1, y2, (x2 - x1) / ratioProcessing, imageHeight);
    return { x1, y1: top, x2, y2: bottom };
  }
  const [left, right] = growSpan(x1, x2, (y2 - y1) * ratioProcessing, imageWidth);
  return { x1: left, y1, x2: right, y2 };
}

/** One axis of expand_crop_region: [lo, hi) grown to `desired` (truncated), centred, then shifted back into [0, limit]. */
function growSpan(lo: number, hi: number, desired: number, limit: number): [number, number] {
  const diff = Math.trunc(desired - (hi - lo));
  let a = lo - Math.floor(diff / 2);
  let b = hi + diff - Math.floor(diff / 2);
  if (b >= limit) {
    const d = b - limit;
    b -= d;
    a -= d;
  }
  if (a < 0) {
    b -= a;
    a = 0;
  }
  if (b >= limit) b = limit;
  return [a, b];
}

/** Planes [c, H·W] of the box of an interleaved [H, W, c] array, each resized to outW × outH (bilinear). */
function cropPlanes(data: ArrayLike<number>, width: number, channels: number, box: CropBox, outW: number, outH: number): Float32Array[] {
  const [bw, bh] = [box.x2 - box.x1, box.y2 - box.y1];
  return Array.from({ length: channels }, (_, c) => {
    const plane = new Float32Array(bw * bh);
    for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) plane[y * bw + x] = data[((box.y1 + y) * width + box.x1 + x) * channels + c] as number;
    return bw === outW && bh === outH ? plane : resizeBilinear(plane, bh, bw, outH, outW);
  });
}

const toByte = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));

/** The box of RGB bytes [H, W, 3] resized to outW × outH: the image the generation repaints. */
export function cropResizeRgb(rgb: Uint8Array, width: number, box: CropBox, outW: number, outH: number): Uint8Array {
  const planes = cropPlanes(rgb, width, 3, box, outW, outH);
  const out = new Uint8Array(outW * outH * 3);
  for (let p = 0; p < outW * outH; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = toByte((planes[c] as Float32Array)[p] as number);
  return out;
}

/** The box of a feathered mask [H·W] in [0, 1] resized to outW × outH, as mask bytes (255 = repaint). */
export function cropResizeMask(feathered: Float32Array, width: number, box: CropBox, outW: number, outH: number): Uint8Array {
  const plane = cropPlanes(feathered, width, 1, box, outW, outH)[0] as Float32Array;
  return Uint8Array.from(plane, (v) => toByte(v * 255));
}

/**
 * The crop's attention maps placed where the crop came from: each [B, S] map resized to the box and set into a
 * zero map of the full image's size, so overlays line up with the pasted result (0 outside the box).
 */
export function pasteAttention(a: AttentionMaps, box: CropBox, width: number, height: number): AttentionMaps {
  const [bw, bh] = [box.x2 - box.x1, box.y2 - box.y1];
  const per = a.width * a.height;
  const n = a.maps.length / per;
  const maps = new Float32Array(n * width * height);
  for (let k = 0; k < n; k++) {
    const small = resizeBilinear(a.maps.subarray(k * per, (k + 1) * per), a.height, a.width, bh, bw);
    for (let y = 0; y < bh; y++) maps.set(small.subarray(y * bw, (y + 1) * bw), k * width * height + (box.y1 + y) * width + box.x1);
  }
  return { ...a, width, height, maps };
}

/**
 * uncrop + apply_overlay for each image of a batch of crop results [B, outH, outW, 3]: resized to the box, placed on
 * the full init, then blended with it by the full-size feathered mask (blendPixels), so a pixel the mask does not
 * reach (every pixel outside the box among them) is the init's byte.
 */
export function pasteBack(generated: Uint8Array, outW: number, outH: number, init: Uint8Array, width: number, height: number, box: CropBox, feathered: Float32Array): Uint8Array {
  const per = outW * outH * 3;
  const batch = generated.length / per;
  const [bw, bh] = [box.x2 - box.x1, box.y2 - box.y1];
  const out = new Uint8Array(batch * width * height * 3);
  for (let b = 0; b < batch; b++) {
    const full = init.slice();
    const small = cropResizeRgb(generated.subarray(b * per, (b + 1) * per), outW, { x1: 0, y1: 0, x2: outW, y2: outH }, bw, bh);
    for (let y = 0; y < bh; y++) full.set(small.subarray(y * bw * 3, (y + 1) * bw * 3), ((box.y1 + y) * width + box.x1) * 3);
    out.set(blendPixels(full, init, feathered), b * width * height * 3);
  }
  return out;
}
