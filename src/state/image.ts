// Pure rules for the reference image: recognise image files by their magic bytes, plan the downscale of
// large images, place and clamp the crop square. Decoding pixels is the UI's job (it has a canvas).
// No DOM, no I/O. Reference: the studio's reference image.
import type { Crop } from './types';

/** Longest side kept; larger images are downscaled (with a notice) to keep memory and storage sane. */
export const MAX_IMAGE_SIDE = 2048;
/** Smallest side accepted: the training square is 512 px; smaller images would be upscaled. */
export const MIN_IMAGE_SIDE = 64;

const SIGNATURES: ReadonlyArray<{ mime: string; bytes: readonly (number | null)[] }> = [
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { mime: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50] },
  { mime: 'image/bmp', bytes: [0x42, 0x4d] },
  { mime: 'image/avif', bytes: [null, null, null, null, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69] },
];

/** The image MIME type of `bytes` from its signature, or null when it is not a known image format. */
export function sniffImageType(bytes: Uint8Array): string | null {
  for (const sig of SIGNATURES) {
    if (bytes.length >= sig.bytes.length && sig.bytes.every((b, k) => b === null || bytes[k] === b)) return sig.mime;
  }
  return null;
}

export const ACCEPTED_FORMATS = 'PNG, JPEG, GIF, WebP, BMP or AVIF';

/** Target size after downscaling so the longest side is at most `maxSide` (aspect kept, integer px). */
export function planDownscale(width: number, height: number, maxSide = MAX_IMAGE_SIDE): { width: number; height: number; isDownscaled: boolean } {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width, height, isDownscaled: false };
  const k = maxSide / longest;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)), isDownscaled: true };
}

/** The largest centred square. */
export function centredCrop(width: number, height: number): Crop {
  const size = Math.min(width, height);
  return { x: Math.floor((width - size) / 2), y: Math.floor((height - size) / 2), size };
}

/** Keeps the crop square inside the image (size fixed to the largest square). */
export function clampCrop(crop: Pick<Crop, 'x' | 'y'>, width: number, height: number): Crop {
  const size = Math.min(width, height);
  const x = Math.round(Math.min(Math.max(0, crop.x), width - size));
  const y = Math.round(Math.min(Math.max(0, crop.y), height - size));
  return { x, y, size };
}
