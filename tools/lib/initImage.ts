// Node helper of the generate / inpaint CLIs: reads `--image` / `--init` (PNG, RGBA) and `--mask` (PNG; A1111's
// binary mask: alpha when transparent, else luminance > 128) into the pipeline's InitImage, with errors naming
// the file. Node only (node:fs). Reference: src/diffusion/pipeline/mask.ts binaryMaskFromRgba, types.ts InitImage.
import { readFile } from 'node:fs/promises';
import { decodePng } from '../../src/diffusion/image/png';
import { binaryMaskFromRgba } from '../../src/diffusion/pipeline/mask';
import type { InitImage } from '../../src/diffusion/pipeline/types';

export type InitArgs = { image?: string; mask?: string; strength?: string; maskBlur?: string; invert?: boolean; onlyMasked?: boolean; padding?: string };

async function png(path: string, what: string): Promise<ReturnType<typeof decodePng>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`${what} ${path}: cannot read (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return decodePng(bytes);
  } catch (e) {
    throw new Error(`${what} ${path}: not a PNG the studio can read (${e instanceof Error ? e.message : String(e)})`);
  }
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${flag} must be a number, got "${v}"`);
  return n;
}

/** The InitImage of the CLI flags, or undefined without an image. @throws Error naming the file or flag */
export async function readInitImage(a: InitArgs): Promise<InitImage | undefined> {
  if (!a.image) {
    if (a.mask) throw new Error('--mask needs an image to inpaint: pass --image (or --init) too');
    return undefined;
  }
  if ((a.onlyMasked || a.padding !== undefined) && !a.mask) throw new Error(`--${a.onlyMasked ? 'only-masked' : 'padding'} needs --mask: the region whose box is inpainted`);
  if (a.padding !== undefined && !a.onlyMasked) throw new Error('--padding is the margin of --only-masked; pass --only-masked too');
  const img = await png(a.image, 'image');
  const init: InitImage = { data: img.data, width: img.width, height: img.height, channels: 4, strength: num('strength', a.strength), maskBlur: num('mask-blur', a.maskBlur), invertMask: a.invert ?? false };
  if (!a.mask) return init;
  const m = await png(a.mask, 'mask');
  if (m.width !== img.width || m.height !== img.height) throw new Error(`mask ${a.mask} is ${m.width}×${m.height} but image ${a.image} is ${img.width}×${img.height}; they must be the same size`);
  const only = a.onlyMasked ? { onlyMasked: true, maskedPadding: num('padding', a.padding) } : {};
  return { ...init, mask: binaryMaskFromRgba(m.data, m.width, m.height), ...only };
}
