// Validation and preparation of an init image (image-to-image) and its mask (inpainting): sizes, strength, blur,
// the decoder-range pixels, the feathered pixel mask and its latent-grid copy, and which part of the schedule runs.
// Pure; no I/O. Reference: diffusers StableDiffusionImg2ImgPipeline.get_timesteps (init_timestep =
// min(⌊steps·strength⌋, steps), t_start = steps − init_timestep); mask maths in mask.ts.
import { ConfigError } from '../../lib/errors';
import { featherMask, flattenRgb, latentMask, rgbToPixels } from './mask';
import type { InitImage } from './types';

/** An init image ready for the loop. */
export type PreparedInit = {
  /** [1, 3, H, W] in [−1, 1], the VAE encoder's input */
  pixels: Float32Array;
  /** RGB bytes [H, W, 3] of the init (alpha flattened): what unmasked pixels keep */
  rgb: Uint8Array;
  strength: number;
  maskBlur: number;
  invertMask: boolean;
  /** inpainting only: feathered mask [H·W] in [0, 1] (1 = repaint) and its 0/1 latent-grid copy [h·w] */
  mask?: { feathered: Float32Array; latent: Float32Array };
  /** index of the first timestep run: steps − ⌊steps·strength⌋ (= steps when nothing runs) */
  beginIndex: number;
};

/** Largest mask blur accepted (px); A1111's slider stops at 64. */
export const MAX_MASK_BLUR = 64;

/**
 * Checks `init` against the output size and prepares it. `factor` is the VAE's spatial factor.
 * @throws ConfigError naming the field: size mismatch, strength outside [0, 1], bad blur, a mask that is empty
 *         or the wrong length
 */
export function prepareInit(init: InitImage, width: number, height: number, factor: number, steps: number): PreparedInit {
  const strength = init.strength ?? 0.75;
  const maskBlur = init.maskBlur ?? 4;
  const invertMask = init.invertMask ?? false;
  if (init.channels !== 3 && init.channels !== 4) throw new ConfigError(`init.channels must be 3 (RGB) or 4 (RGBA), got ${String(init.channels)}.`);
  if (init.width !== width || init.height !== height) {
    throw new ConfigError(`init image is ${init.width}×${init.height} but the request is ${width}×${height}; pass the init image's size (or resize the image).`);
  }
  if (init.data.length !== width * height * init.channels) {
    throw new ConfigError(`init.data has ${init.data.length} bytes; a ${width}×${height} image with ${init.channels} channels has ${width * height * init.channels}.`);
  }
  if (!(strength >= 0 && strength <= 1)) throw new ConfigError(`init.strength (denoising strength) must be in 0…1, got ${strength}.`);
  if (!(maskBlur >= 0 && maskBlur <= MAX_MASK_BLUR)) throw new ConfigError(`init.maskBlur must be in 0…${MAX_MASK_BLUR} px, got ${maskBlur}.`);
  let mask: PreparedInit['mask'];
  if (init.mask) {
    if (init.mask.length !== width * height) {
      throw new ConfigError(`init.mask has ${init.mask.length} values but the image is ${width}×${height} (${width * height} pixels); the mask must be the image's size.`);
    }
    const feathered = featherMask(init.mask, width, height, maskBlur, invertMask);
    if (!feathered.some((v) => v > 0)) {
      throw new ConfigError(`init.mask marks no pixel to repaint${invertMask ? ' (with "Inpaint not masked", the mask covers the whole image)' : ''}; paint the region to change.`);
    }
    mask = { feathered, latent: latentMask(feathered, width, height, factor) };
  }
  const run = Math.min(Math.floor(steps * strength), steps);
  return { pixels: rgbToPixels(init.data, width, height, init.channels), rgb: flattenRgb(init.data, width, height, init.channels), strength, maskBlur, invertMask, mask, beginIndex: steps - run };
}
