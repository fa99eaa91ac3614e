// Test oracle: diffusers / transformers names → CompVis LDM single-file names, written from the LDM module
// layout (input_blocks = conv_in, then per level lpb × [ResBlock, SpatialTransformer] and a Downsample "op";
// output_blocks = per level (lpb + 1) × [ResBlock, SpatialTransformer, Upsample]), independent of the mapper;
// tinyLdmCheckpoint renames a whole diffusers folder into one LDM-named single-file checkpoint.
import { readSafetensors, writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../../src/diffusion/weights/safetensors';
import type { AutoencoderKLConfig, UNet2DConditionConfig } from '../../../src/onnx/index';

const RESNET: [string, string][] = [['norm1.', 'in_layers.0.'], ['conv1.', 'in_layers.2.'], ['time_emb_proj.', 'emb_layers.1.'], ['norm2.', 'out_layers.0.'], ['conv2.', 'out_layers.3.'], ['conv_shortcut.', 'skip_connection.']];
const resnet = (rest: string): string => {
  const hit = RESNET.find(([d]) => rest.startsWith(d));
  return hit ? hit[1] + rest.slice(hit[0].length) : rest;
};

/** One UNet parameter name in LDM naming (with the model.diffusion_model. prefix). */
export function unetToLdm(name: string, cfg: UNet2DConditionConfig): string {
  const n = cfg.layers_per_block + 1;
  const fixed: [string, string][] = [['time_embedding.linear_1.', 'time_embed.0.'], ['time_embedding.linear_2.', 'time_embed.2.'], ['conv_in.', 'input_blocks.0.0.'], ['conv_norm_out.', 'out.0.'], ['conv_out.', 'out.2.']];
  const f = fixed.find(([d]) => name.startsWith(d));
  let m: RegExpExecArray | null;
  let ldm: string;
  if (f) ldm = f[1] + name.slice(f[0].length);
  else if ((m = /^down_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)$/.exec(name))) {
    const i = 1 + Number(m[1]) * n + Number(m[3]);
    ldm = m[2] === 'resnets' ? `input_blocks.${i}.0.${resnet(m[4]!)}` : `input_blocks.${i}.1.${m[4]}`;
  } else if ((m = /^down_blocks\.(\d+)\.downsamplers\.0\.conv\.(.+)$/.exec(name))) ldm = `input_blocks.${1 + Number(m[1]) * n + n - 1}.0.op.${m[2]}`;
  else if ((m = /^mid_block\.resnets\.(\d)\.(.+)$/.exec(name))) ldm = `middle_block.${m[1] === '0' ? 0 : 2}.${resnet(m[2]!)}`;
  else if ((m = /^mid_block\.attentions\.0\.(.+)$/.exec(name))) ldm = `middle_block.1.${m[1]}`;
  else if ((m = /^up_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)$/.exec(name))) {
    const i = Number(m[1]) * n + Number(m[3]);
    ldm = m[2] === 'resnets' ? `output_blocks.${i}.0.${resnet(m[4]!)}` : `output_blocks.${i}.1.${m[4]}`;
  } else if ((m = /^up_blocks\.(\d+)\.upsamplers\.0\.(.+)$/.exec(name))) {
    const hasAttn = cfg.up_block_types[Number(m[1])] === 'CrossAttnUpBlock2D';
    ldm = `output_blocks.${Number(m[1]) * n + n - 1}.${hasAttn ? 2 : 1}.${m[2]}`;
  } else throw new Error(`no LDM name for ${name}`);
  return `model.diffusion_model.${ldm}`;
}

/** One VAE parameter name in LDM naming (with the first_stage_model. prefix). */
export function vaeToLdm(name: string, blocks: number): string {
  const ldm = name.replace('conv_norm_out', 'norm_out').replace('mid_block.attentions.0.group_norm', 'mid.attn_1.norm').replace(/mid_block\.attentions\.0\.to_(q|k|v)/, 'mid.attn_1.$1')
    .replace('mid_block.attentions.0.to_out.0', 'mid.attn_1.proj_out').replace(/mid_block\.resnets\.(\d)/, (_, i) => `mid.block_${Number(i) + 1}`)
    .replace(/down_blocks\.(\d)\.resnets/, 'down.$1.block').replace(/down_blocks\.(\d)\.downsamplers\.0/, 'down.$1.downsample')
    .replace(/up_blocks\.(\d)\.resnets/, (_, i) => `up.${blocks - 1 - Number(i)}.block`).replace(/up_blocks\.(\d)\.upsamplers\.0/, (_, i) => `up.${blocks - 1 - Number(i)}.upsample`)
    .replace('conv_shortcut', 'nin_shortcut');
  return `first_stage_model.${ldm}`;
}

/** One text-encoder name in LDM naming (newer layout, with text_model.). */
export function textToLdm(name: string): string {
  return `cond_stage_model.transformer.${name}`;
}

/**
 * The UNet, VAE and text-encoder safetensors of a diffusers folder (path → bytes, e.g. writeDiffusersFolder's)
 * as one single-file checkpoint in LDM naming, built with `unet` and `vae` configs.
 */
export function tinyLdmCheckpoint(files: ReadonlyMap<string, Uint8Array>, unet: UNet2DConditionConfig, vae: AutoencoderKLConfig): Uint8Array {
  const ldm: Record<string, SafeTensor> = {};
  const add = (path: string, rename: (n: string) => string) => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`tinyLdmCheckpoint: the folder has no ${path}`);
    for (const [n, t] of Object.entries(readSafetensors(bytes).tensors)) ldm[rename(n)] = t;
  };
  add('unet/diffusion_pytorch_model.safetensors', (n) => unetToLdm(n, unet));
  add('vae/diffusion_pytorch_model.safetensors', (n) => vaeToLdm(n, vae.block_out_channels.length));
  add('text_encoder/model.safetensors', textToLdm);
  return writeSafetensors(ldm);
}
