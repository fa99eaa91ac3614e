// Conditioning of an SD inpainting UNet (9 input channels: latent, mask, masked-image latent), as diffusers'
// StableDiffusionInpaintPipeline builds it (src/diffusers/pipelines/stable_diffusion/pipeline_stable_diffusion_inpaint.py):
//   mask_condition = binarize(mask)          (VaeImageProcessor do_binarize: < 0.5 → 0, ≥ 0.5 → 1)
//   masked_image   = init_image · (mask_condition < 0.5)           (init in [−1, 1]; repainted pixels become 0)
//   mask           = F.interpolate(mask_condition, (H/f, W/f))     (prepare_mask_latents; mode "nearest")
//   masked_image_latents = scaling_factor · E(masked_image)        (_encode_vae_image)
//   per step: unet(cat([scale_model_input(cat([z]·2), t), mask, masked_image_latents], dim=1), t, …)
// Pure; no I/O. Deviation: the masked image's latent is the VAE posterior mean (see initLatents in txt2img.ts).

/** The per-image conditioning planes: binary mask on the latent grid [h·w] and the masked pixels [1, 3, H, W]. */
export type InpaintCondition = { maskLatent: Float32Array; maskedPixels: Float32Array };

/**
 * Binarises `feathered` (1 = repaint; absent = repaint everything, as text-to-image on an inpainting UNet) at 0.5,
 * zeroes the repainted pixels of `pixels`, and takes the nearest-neighbour mask on the latent grid: latent cell
 * (i, j) reads pixel (i·f, j·f), torch's nearest rule src = ⌊dst · in/out⌋.
 */
export function inpaintCondition(pixels: Float32Array, feathered: Float32Array | undefined, width: number, height: number, factor: number): InpaintCondition {
  const hw = width * height;
  const repaint = (p: number): boolean => (feathered === undefined ? true : (feathered[p] as number) >= 0.5);
  const maskedPixels = new Float32Array(3 * hw);
  for (let p = 0; p < hw; p++) {
    if (repaint(p)) continue;
    for (let c = 0; c < 3; c++) maskedPixels[c * hw + p] = pixels[c * hw + p] as number;
  }
  const [h, w] = [height / factor, width / factor];
  const maskLatent = new Float32Array(h * w);
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) maskLatent[i * w + j] = repaint(i * factor * width + j * factor) ? 1 : 0;
  return { maskLatent, maskedPixels };
}

/**
 * The UNet input [n, 2C + 1, h, w]: for each of the n rows of `zIn` [n, C, h, w] its C channels, the mask, then the
 * masked image's C latent channels (the same mask and masked latent for every row, as diffusers repeats them).
 */
export function concatInpaintInput(zIn: Float32Array, channels: number, hw: number, maskLatent: Float32Array, maskedLatent: Float32Array): Float32Array {
  const per = channels * hw;
  const n = zIn.length / per;
  const rowLen = (2 * channels + 1) * hw;
  const out = new Float32Array(n * rowLen);
  for (let b = 0; b < n; b++) {
    out.set(zIn.subarray(b * per, (b + 1) * per), b * rowLen);
    out.set(maskLatent, b * rowLen + per);
    out.set(maskedLatent, b * rowLen + per + hw);
  }
  return out;
}
