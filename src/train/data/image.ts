// Planar float images for training data (CHW, values as the VAE sees them: [-1, 1] for RGB, [0, 1] for masks)
// and the geometric helpers the augmentation needs: bilinear resize, centre square crop, horizontal flip, paste.
// Pure; no I/O, no DOM. Deviation: bilinear resize (half-pixel centres), where Custom Diffusion uses PIL bicubic.
import { ConfigError } from '../../lib/errors';

/** A planar float image: data [channels, height, width] row-major. */
export type PlanarImage = { width: number; height: number; channels: number; data: Float32Array };

/** An empty (zero) planar image. */
export function zeros(channels: number, height: number, width: number): PlanarImage {
  return { width, height, channels, data: new Float32Array(channels * height * width) };
}

/** Checks `data.length === channels·height·width`; throws ConfigError naming `what` otherwise. */
export function checkImage(img: PlanarImage, what: string): void {
  const want = img.channels * img.height * img.width;
  if (!(img.width > 0 && img.height > 0 && img.channels > 0) || img.data.length !== want) {
    throw new ConfigError(`${what}: ${img.channels}×${img.height}×${img.width} image needs ${want} values, got ${img.data.length}`);
  }
}

/** Bilinear resize to size×size per channel (half-pixel centres, edge clamp; torch align_corners=False). */
export function resizeSquare(img: PlanarImage, size: number): PlanarImage {
  const out = zeros(img.channels, size, size);
  const sy = img.height / size;
  const sx = img.width / size;
  for (let c = 0; c < img.channels; c++) {
    const src = c * img.height * img.width;
    const dst = c * size * size;
    for (let y = 0; y < size; y++) {
      const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, img.height - 1);
      const wy = fy - y0;
      for (let x = 0; x < size; x++) {
        const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, img.width - 1);
        const wx = fx - x0;
        const at = (yy: number, xx: number) => img.data[src + yy * img.width + xx] as number;
        const top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
        const bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
        out.data[dst + y * size + x] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

/** The window [top, top+h) × [left, left+w) of every channel. */
export function crop(img: PlanarImage, top: number, left: number, h: number, w: number): PlanarImage {
  if (top < 0 || left < 0 || top + h > img.height || left + w > img.width) {
    throw new ConfigError(`crop ${h}×${w} at (${top}, ${left}) leaves the ${img.height}×${img.width} image`);
  }
  const out = zeros(img.channels, h, w);
  for (let c = 0; c < img.channels; c++) {
    for (let y = 0; y < h; y++) {
      const from = c * img.height * img.width + (top + y) * img.width + left;
      out.data.set(img.data.subarray(from, from + w), c * h * w + y * w);
    }
  }
  return out;
}

/** The centred largest square (the §2.3 "centre-crop to a square"). */
export function centerSquare(img: PlanarImage): PlanarImage {
  const side = Math.min(img.width, img.height);
  return crop(img, Math.floor((img.height - side) / 2), Math.floor((img.width - side) / 2), side, side);
}

/** Mirror left ↔ right. */
export function flipHorizontal(img: PlanarImage): PlanarImage {
  const out = zeros(img.channels, img.height, img.width);
  for (let r = 0; r < img.channels * img.height; r++) {
    for (let x = 0; x < img.width; x++) out.data[r * img.width + x] = img.data[r * img.width + (img.width - 1 - x)] as number;
  }
  return out;
}

/** `patch` written into a copy of `canvas` with its top-left corner at (top, left); must fit. */
export function paste(canvas: PlanarImage, patch: PlanarImage, top: number, left: number): PlanarImage {
  if (patch.channels !== canvas.channels || top < 0 || left < 0 || top + patch.height > canvas.height || left + patch.width > canvas.width) {
    throw new ConfigError(`paste ${patch.channels}×${patch.height}×${patch.width} at (${top}, ${left}) does not fit ${canvas.channels}×${canvas.height}×${canvas.width}`);
  }
  const out = { ...canvas, data: canvas.data.slice() };
  for (let c = 0; c < patch.channels; c++) {
    for (let y = 0; y < patch.height; y++) {
      const from = c * patch.height * patch.width + y * patch.width;
      out.data.set(patch.data.subarray(from, from + patch.width), c * canvas.height * canvas.width + (top + y) * canvas.width + left);
    }
  }
  return out;
}

/** RGBA/RGB/grey bytes [H, W, C] → planar RGB in [-1, 1] (the VAE input range). */
export function rgbFromBytes(bytes: ArrayLike<number>, width: number, height: number, channels: number): PlanarImage {
  const out = zeros(3, height, width);
  const n = width * height;
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) {
      const v = channels >= 3 ? (bytes[p * channels + c] as number) : (bytes[p * channels] as number);
      out.data[c * n + p] = v / 127.5 - 1;
    }
  }
  return out;
}

/** RGBA/grey bytes [H, W, C] → one planar mask channel in [0, 1] from the first channel (white = concept). */
export function maskFromBytes(bytes: ArrayLike<number>, width: number, height: number, channels: number): PlanarImage {
  const out = zeros(1, height, width);
  for (let p = 0; p < width * height; p++) out.data[p] = (bytes[p * channels] as number) / 255;
  return out;
}
