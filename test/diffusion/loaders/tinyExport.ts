// Test helper: a tiny diffusers/Optimum-style ONNX export written from a loaded diffusers folder, in torch.onnx
// naming (anonymous pre-transposed Linear weights), UNet weights in unet/model.onnx_data and VAE decoder weights
// in vae_decoder/weights.pb. Shared by the ONNX-export loader test and the layout-detection test. No I/O.
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder, encodeModel, externalize } from '../../../src/onnx/index';
import type { Model } from '../../../src/onnx/index';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { torchStyle } from '../../onnx/surgery/exportLike';

/** torch.onnx-style bytes of a built model; with `location`, every weight moves to that external file. */
function exported(model: Model, location?: string): Record<string, Uint8Array> {
  const styled = { ...model, graph: torchStyle(model.graph) };
  if (!location) return { 'model.onnx': encodeModel(styled) };
  const { model: m, files } = externalize(styled, 0, { location });
  return { 'model.onnx': encodeModel(m), [location]: files[location] as Uint8Array };
}

/**
 * path → bytes of the export of `reference` (loaded from the diffusers files `folder`): unet/, text_encoder/,
 * vae_decoder/, vae_encoder/ (model.onnx + config.json each), tokenizer/ and scheduler/ copied from the folder.
 */
export function tinyOnnxExport(folder: ReadonlyMap<string, Uint8Array>, reference: LoadedModel): Map<string, Uint8Array> {
  const r = reference;
  const parts: Record<string, Record<string, Uint8Array>> = {
    unet: exported(buildUnet(r.unet.config, { weights: r.unet.weights, batch: 1, height: 8, width: 8 }).model, 'model.onnx_data'),
    text_encoder: exported(buildClipText(r.textEncoder.config, { weights: r.textEncoder.weights, batch: 1 }).model),
    vae_decoder: exported(buildVaeDecoder(r.vae.config, { weights: r.vae.weights, batch: 1, height: 8, width: 8 }).model, 'weights.pb'),
    vae_encoder: exported(buildVaeEncoder(r.vae.config, { weights: r.vae.weights, batch: 1, height: 16, width: 16 }).model),
  };
  const files = new Map<string, Uint8Array>();
  for (const [dir, f] of Object.entries(parts)) for (const [name, bytes] of Object.entries(f)) files.set(`${dir}/${name}`, bytes);
  const configs: [string, string][] = [['unet', 'unet'], ['text_encoder', 'text_encoder'], ['vae_decoder', 'vae'], ['vae_encoder', 'vae']];
  for (const [dir, from] of configs) files.set(`${dir}/config.json`, folder.get(`${from}/config.json`) as Uint8Array);
  for (const [path, bytes] of folder) if (path.startsWith('tokenizer/') || path.startsWith('scheduler/')) files.set(path, bytes);
  return files;
}
