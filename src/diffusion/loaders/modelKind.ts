// What kind of model a loaded one is, for the pipeline (which conditioning its UNet takes) and for what the studio
// shows about it. Pure. An SD inpainting UNet (sd-v1-5-inpainting; diffusers StableDiffusionInpaintPipeline, where
// `num_channels_unet == 9`) takes concat(latent, 1-channel mask, masked-image latent): 2·latent_channels + 1 inputs.
import { SD15_UNET } from '../../onnx/index';
import type { UNet2DConditionConfig } from '../../onnx/index';
import type { LoadedModel } from './diffusersFolder';

/** True when the UNet's input is the latent, the mask and the masked image's latent (2·C + 1 channels). */
export function isInpaintingUnet(unetInChannels: number, latentChannels: number): boolean {
  return unetInChannels === 2 * latentChannels + 1;
}

/** True when `a` is `b` but for in_channels (an inpainting UNet of the same architecture). */
export function sameUnetButInChannels(a: UNet2DConditionConfig, b: UNet2DConditionConfig): boolean {
  return JSON.stringify({ ...a, in_channels: 0 }) === JSON.stringify({ ...b, in_channels: 0 });
}

/**
 * A short label of the architecture when it is not plain text-to-image: "SD 1.5 inpainting" for SD 1.5's UNet with
 * 9 input channels, "inpainting UNet (9 input channels)" for another width; undefined for a text-to-image UNet.
 */
export function modelKindLabel(model: Pick<LoadedModel, 'unet' | 'vae'>): string | undefined {
  const { in_channels: n } = model.unet.config;
  if (!isInpaintingUnet(n, model.vae.config.latent_channels)) return undefined;
  return sameUnetButInChannels(model.unet.config, SD15_UNET) ? 'SD 1.5 inpainting' : `inpainting UNet (${n} input channels)`;
}
