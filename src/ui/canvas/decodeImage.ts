// Turns a dropped, picked or pasted file into a ReferenceInput: checks the signature, decodes, downscales
// large images on a canvas. Throws ImageIntakeError with a message fit for the user. Browser-only (canvas).
// Reference: the studio's reference image; state/image.ts for the pure rules.
import { ACCEPTED_FORMATS, MIN_IMAGE_SIDE, planDownscale, sniffImageType } from '../../state/index';
import type { ReferenceInput } from '../../state/index';

export class ImageIntakeError extends Error {
  override readonly name = 'ImageIntakeError';
}

function preview(bytes: Uint8Array): string {
  const text = Array.from(bytes.slice(0, 12), (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '·')).join('');
  return text.trim() === '' ? 'binary data' : `"${text}"`;
}

async function decode(file: Blob, name: string, mime: string): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file);
  } catch {
    throw new ImageIntakeError(`"${name}" looks like ${mime} but could not be decoded; the file may be truncated or corrupt. Try re-saving it.`);
  }
}

/**
 * Reads an image file for use as the reference.
 * @throws ImageIntakeError when the file is not an image, cannot be decoded or is too small
 */
export async function readImageFile(file: Blob, name: string): Promise<ReferenceInput> {
  const head = new Uint8Array(await file.slice(0, 32).arrayBuffer());
  const mime = sniffImageType(head);
  if (!mime) throw new ImageIntakeError(`"${name}" is not an image the studio can read (expected ${ACCEPTED_FORMATS}; the file starts with ${preview(head)}).`);
  const bitmap = await decode(file, name, mime);
  const { width: ow, height: oh } = bitmap;
  if (Math.min(ow, oh) < MIN_IMAGE_SIDE) {
    bitmap.close();
    throw new ImageIntakeError(`"${name}" is ${ow}×${oh}; the shorter side must be at least ${MIN_IMAGE_SIDE} px.`);
  }
  const plan = planDownscale(ow, oh);
  const canvas = document.createElement('canvas');
  canvas.width = plan.width;
  canvas.height = plan.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new ImageIntakeError('This browser gave no 2D canvas to read the image with.');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, plan.width, plan.height);
  bitmap.close();
  const dataUrl = mime === 'image/jpeg' ? canvas.toDataURL('image/jpeg', 0.92) : canvas.toDataURL('image/png');
  return { name, dataUrl, width: plan.width, height: plan.height, originalWidth: ow, originalHeight: oh };
}
