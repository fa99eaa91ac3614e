// Pixel and mask maths of image-to-image and inpainting: the init image as decoder-range pixels, the feathered
// mask (A1111's mask blur), its latent-grid copy for blended latents, and the final pixel-space blend. Pure; no I/O.
// Reference: AUTOMATIC1111 modules/processing.py StableDiffusionProcessingImg2Img.init — mask blur is
// cv2.GaussianBlur with σ = blur px and kernel 2·⌊2.5σ + 0.5⌋ + 1 along x then y (cv2's default border,
// BORDER_REFLECT_101); `latmask` = the blurred mask resized to the latent grid and rounded (np.around); the
// overlay pastes the original over the result with alpha 1 − blurred mask (apply_overlay).
// Deviation: the latent-grid resize is a box average over each f×f cell (A1111 resizes with PIL's default filter).

/** Mask values are bytes: 255 = repaint, 0 = keep (A1111: white is inpainted). */
export type ByteMask = Uint8Array;

/** RGB(A) bytes [H, W, c] → pixels [1, 3, H, W] in [−1, 1] (diffusers image_processor: 2x − 1). Alpha is composited over white (A1111 flatten, img2img_background_color #ffffff). */
export function rgbToPixels(data: Uint8Array, width: number, height: number, channels: 3 | 4): Float32Array {
  const hw = width * height;
  const out = new Float32Array(3 * hw);
  for (let p = 0; p < hw; p++) {
    const a = channels === 4 ? (data[p * 4 + 3] as number) / 255 : 1;
    for (let c = 0; c < 3; c++) {
      const v = ((data[p * channels + c] as number) / 255) * a + (1 - a);
      out[c * hw + p] = 2 * v - 1;
    }
  }
  return out;
}

/** RGB(A) bytes → RGB bytes [H, W, 3] (alpha over white, as rgbToPixels), rounded. */
export function flattenRgb(data: Uint8Array, width: number, height: number, channels: 3 | 4): Uint8Array {
  if (channels === 3) return data.slice(0, width * height * 3);
  const hw = width * height;
  const out = new Uint8Array(hw * 3);
  for (let p = 0; p < hw; p++) {
    const a = (data[p * 4 + 3] as number) / 255;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round((data[p * 4 + c] as number) * a + 255 * (1 - a));
  }
  return out;
}

/** cv2.getGaussianKernel(k, σ): exp(−(i − (k−1)/2)² / 2σ²), normalised to sum 1. */
export function gaussianKernel(sigma: number): Float64Array {
  const k = 2 * Math.floor(2.5 * sigma + 0.5) + 1;
  const c = (k - 1) / 2;
  const out = Float64Array.from({ length: k }, (_, i) => Math.exp(-((i - c) ** 2) / (2 * sigma * sigma)));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}

/** cv2 BORDER_REFLECT_101 index (…, 2, 1 | 0, 1, 2, … | n−2, …). */
function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
  return j;
}

/**
 * Feathered mask in [0, 1] [H·W]: the byte mask (inverted first when `invert`, A1111 "Inpaint not masked")
 * blurred with σ = `blur` px along x then along y. blur 0 = the mask itself (0 or 1 per pixel for a 0/255 mask).
 */
export function featherMask(mask: ByteMask, width: number, height: number, blur: number, invert = false): Float32Array {
  let m: Float64Array = Float64Array.from(mask, (v) => (invert ? 255 - v : v) / 255);
  if (blur > 0) {
    const k = gaussianKernel(blur);
    const r = (k.length - 1) / 2;
    const pass = (src: Float64Array, alongX: boolean): Float64Array => {
      const dst = new Float64Array(src.length);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let acc = 0;
          for (let d = -r; d <= r; d++) {
            const idx = alongX ? y * width + reflect101(x + d, width) : reflect101(y + d, height) * width + x;
            acc += (k[d + r] as number) * (src[idx] as number);
          }
          dst[y * width + x] = acc;
        }
      }
      return dst;
    };
    m = pass(pass(m, true), false);
  }
  // cv2 blurs uint8 images, so A1111's blurred mask is bytes: round to 1/255 steps, which makes "far from the
  // mask" exactly 0 (an untouched pixel) instead of a 1e-12 tail.
  return Float32Array.from(m, (v) => Math.round(v * 255) / 255);
}

/** Latent-grid mask [h·w] of 0/1: the feathered mask averaged over each f×f cell, rounded half to even (A1111 `latmask`, np.around). */
export function latentMask(feathered: Float32Array, width: number, height: number, factor: number): Float32Array {
  const [h, w] = [height / factor, width / factor];
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) acc += feathered[(y * factor + dy) * width + x * factor + dx] as number;
      }
      out[y * w + x] = acc / (factor * factor) > 0.5 ? 1 : 0; // np.around: 0.5 rounds to even (0)
    }
  }
  return out;
}

/** out = m·generated + (1 − m)·init per pixel, for every image of a batch of RGB bytes [B, H, W, 3]; m = 0 keeps init exactly. */
export function blendPixels(generated: Uint8Array, init: Uint8Array, feathered: Float32Array): Uint8Array {
  const out = new Uint8Array(generated.length);
  const hw = feathered.length;
  for (let i = 0; i < generated.length; i++) {
    const m = feathered[Math.floor(i / 3) % hw] as number;
    out[i] = m === 0 ? (init[i % (hw * 3)] as number) : Math.round(m * (generated[i] as number) + (1 - m) * (init[i % (hw * 3)] as number));
  }
  return out;
}

/** z = m·z + (1 − m)·bg per latent element, in place; `m` [h·w] is shared by the batch's C channels. */
export function blendLatents(z: Float32Array, bg: Float32Array, m: Float32Array): void {
  const hw = m.length;
  for (let i = 0; i < z.length; i++) {
    const k = m[i % hw] as number;
    z[i] = k * (z[i] as number) + (1 - k) * (bg[i] as number);
  }
}

/**
 * A mask image (RGBA bytes, as decodePng gives) → a 0/255 byte mask, as A1111's create_binary_mask: the alpha
 * channel when the image has transparency, else its luminance (PIL "L": (19595·R + 38470·G + 7471·B + 2¹⁵) >> 16);
 * then 255 where the value is above 128.
 */
export function binaryMaskFromRgba(rgba: Uint8Array, width: number, height: number): ByteMask {
  const hw = width * height;
  let hasAlpha = false;
  for (let p = 0; p < hw && !hasAlpha; p++) hasAlpha = rgba[p * 4 + 3] !== 255;
  const out = new Uint8Array(hw);
  for (let p = 0; p < hw; p++) {
    const v = hasAlpha ? (rgba[p * 4 + 3] as number) : (19595 * (rgba[p * 4] as number) + 38470 * (rgba[p * 4 + 1] as number) + 7471 * (rgba[p * 4 + 2] as number) + 0x8000) >> 16;
    out[p] = v > 128 ? 255 : 0;
  }
  return out;
}
