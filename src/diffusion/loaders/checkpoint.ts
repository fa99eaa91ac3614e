// Single-file SD 1.x checkpoints (CompVis / LDM layout, ".safetensors" as A1111 and ComfyUI load them): key
// mapping from LDM names to the diffusers / transformers names the builders use, and a loader that splits one
// file into UNet, text encoder and VAE weight sources. Pure. Reference: diffusers
// `convert_ldm_unet_checkpoint` / `convert_ldm_vae_checkpoint` (single_file_utils.py), same renames.
import { ModelAssetError } from '../../lib/errors';
import { SD15_CLIP_TEXT, SD15_UNET, SD15_VAE } from '../../onnx/index';
import type { AutoencoderKLConfig, ClipTextConfig, UNet2DConditionConfig } from '../../onnx/index';
import type { Tokenizer } from '../text/types';
import { readSafetensors } from '../weights/safetensors';
import type { SafeTensor } from '../weights/safetensors';
import type { LoadedModel } from './diffusersFolder';
import { SafetensorsWeights } from './safetensorsWeights';

export type CheckpointPart = 'unet' | 'text_encoder' | 'vae';
export type MappedKey = { part: CheckpointPart; name: string };

const UNET_PREFIX = 'model.diffusion_model.';
const VAE_PREFIX = 'first_stage_model.';
const TEXT_PREFIX = 'cond_stage_model.transformer.';
const SD15_CONFIGS = { unet: SD15_UNET, textEncoder: SD15_CLIP_TEXT, vae: SD15_VAE };
/**
 * The scheduler config a single file carries none of: SD 1.5's own scheduler_config.json (the one diffusers'
 * from_single_file uses), read with the same diffusers semantics as a folder's.
 */
const SD15_SCHEDULER = { numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear', setAlphaToOne: false, stepsOffset: 1, clipSample: false } as const;

/** LDM ResBlock → diffusers ResnetBlock2D parameter names. */
const RESNET_RENAMES: readonly [RegExp, string][] = [
  [/^in_layers\.0\./, 'norm1.'], [/^in_layers\.2\./, 'conv1.'], [/^emb_layers\.1\./, 'time_emb_proj.'],
  [/^out_layers\.0\./, 'norm2.'], [/^out_layers\.3\./, 'conv2.'], [/^skip_connection\./, 'conv_shortcut.'],
];

function renameResnet(rest: string): string {
  for (const [re, to] of RESNET_RENAMES) if (re.test(rest)) return rest.replace(re, to);
  return rest;
}

function mapUnetKey(key: string, lpb: number): string | undefined {
  const fixed: Record<string, string> = { 'time_embed.0.': 'time_embedding.linear_1.', 'time_embed.2.': 'time_embedding.linear_2.', 'input_blocks.0.0.': 'conv_in.', 'out.0.': 'conv_norm_out.', 'out.2.': 'conv_out.' };
  for (const [from, to] of Object.entries(fixed)) if (key.startsWith(from)) return to + key.slice(from.length);
  let m = /^input_blocks\.(\d+)\.(\d+)\.(.+)$/.exec(key);
  if (m) {
    const i = Number(m[1]) - 1;
    const [block, layer] = [Math.floor(i / (lpb + 1)), i % (lpb + 1)];
    const rest = m[3] as string;
    if (layer === lpb) return rest.startsWith('op.') ? `down_blocks.${block}.downsamplers.0.conv.${rest.slice(3)}` : undefined;
    return m[2] === '0' ? `down_blocks.${block}.resnets.${layer}.${renameResnet(rest)}` : `down_blocks.${block}.attentions.${layer}.${rest}`;
  }
  m = /^middle_block\.(\d)\.(.+)$/.exec(key);
  if (m) {
    const rest = m[2] as string;
    return m[1] === '1' ? `mid_block.attentions.0.${rest}` : `mid_block.resnets.${m[1] === '0' ? 0 : 1}.${renameResnet(rest)}`;
  }
  m = /^output_blocks\.(\d+)\.(\d+)\.(.+)$/.exec(key);
  if (m) {
    const i = Number(m[1]);
    const [block, layer] = [Math.floor(i / (lpb + 1)), i % (lpb + 1)];
    const rest = m[3] as string;
    if (m[2] === '0') return `up_blocks.${block}.resnets.${layer}.${renameResnet(rest)}`;
    if (rest.startsWith('conv.')) return `up_blocks.${block}.upsamplers.0.${rest}`;
    return `up_blocks.${block}.attentions.${layer}.${rest}`;
  }
  return undefined;
}

function mapVaeKey(key: string, blocks: number): string {
  const attn: Record<string, string> = { norm: 'group_norm', q: 'to_q', k: 'to_k', v: 'to_v', proj_out: 'to_out.0' };
  let m = /^(encoder|decoder)\.mid\.attn_1\.(norm|q|k|v|proj_out)\.(.+)$/.exec(key);
  if (m) return `${m[1]}.mid_block.attentions.0.${attn[m[2] as string]}.${m[3]}`;
  m = /^(encoder|decoder)\.mid\.block_(\d)\.(.+)$/.exec(key);
  if (m) return `${m[1]}.mid_block.resnets.${Number(m[2]) - 1}.${(m[3] as string).replace(/^nin_shortcut\./, 'conv_shortcut.')}`;
  m = /^encoder\.down\.(\d+)\.(block\.(\d+)|downsample)\.(.+)$/.exec(key);
  if (m) {
    const rest = (m[4] as string).replace(/^nin_shortcut\./, 'conv_shortcut.');
    return m[3] !== undefined ? `encoder.down_blocks.${m[1]}.resnets.${m[3]}.${rest}` : `encoder.down_blocks.${m[1]}.downsamplers.0.${rest}`;
  }
  m = /^decoder\.up\.(\d+)\.(block\.(\d+)|upsample)\.(.+)$/.exec(key);
  if (m) {
    const i = blocks - 1 - Number(m[1]);
    const rest = (m[4] as string).replace(/^nin_shortcut\./, 'conv_shortcut.');
    return m[3] !== undefined ? `decoder.up_blocks.${i}.resnets.${m[3]}.${rest}` : `decoder.up_blocks.${i}.upsamplers.0.${rest}`;
  }
  return key.replace(/^(encoder|decoder)\.norm_out\./, '$1.conv_norm_out.');
}

/**
 * Maps one LDM checkpoint key to its part and diffusers name; undefined for keys the pipeline does not use
 * (EMA copies, position_ids, alphas_cumprod, …).
 * @example mapCheckpointKey('model.diffusion_model.input_blocks.1.1.proj_in.weight') // { part: 'unet', name: 'down_blocks.0.attentions.0.proj_in.weight' }
 */
export function mapCheckpointKey(key: string, unet: UNet2DConditionConfig = SD15_UNET, vaeBlocks = SD15_VAE.block_out_channels.length): MappedKey | undefined {
  if (key.startsWith(UNET_PREFIX)) {
    const name = mapUnetKey(key.slice(UNET_PREFIX.length), unet.layers_per_block);
    return name === undefined ? undefined : { part: 'unet', name };
  }
  if (key.startsWith(VAE_PREFIX)) return { part: 'vae', name: mapVaeKey(key.slice(VAE_PREFIX.length), vaeBlocks) };
  if (key.startsWith(TEXT_PREFIX)) {
    const rest = key.slice(TEXT_PREFIX.length);
    if (rest.endsWith('position_ids')) return undefined;
    return { part: 'text_encoder', name: rest.startsWith('text_model.') ? rest : `text_model.${rest}` };
  }
  return undefined;
}

/** The configs a single file is read with (it carries none); default SD 1.5's. */
export type CheckpointConfigs = { unet: UNet2DConditionConfig; textEncoder: ClipTextConfig; vae: AutoencoderKLConfig };

/**
 * Loads a single-file SD 1.x checkpoint (.safetensors), by default with the SD 1.5 configs. The file carries
 * no tokenizer: pass the CLIP tokenizer (tokenizer/ of any SD 1.x folder).
 * @throws ModelAssetError when the file holds no UNet, VAE or text-encoder keys (not an SD 1.x checkpoint).
 */
export function loadSingleFileCheckpoint(bytes: Uint8Array, tokenizer: Tokenizer, name = 'checkpoint', configs: CheckpointConfigs = SD15_CONFIGS): LoadedModel {
  const parts: Record<CheckpointPart, Map<string, SafeTensor>> = { unet: new Map(), text_encoder: new Map(), vae: new Map() };
  for (const [key, t] of Object.entries(readSafetensors(bytes).tensors)) {
    const mapped = mapCheckpointKey(key, configs.unet, configs.vae.block_out_channels.length);
    if (mapped) parts[mapped.part].set(mapped.name, t);
  }
  const empty = (Object.keys(parts) as CheckpointPart[]).filter((p) => parts[p].size === 0);
  if (empty.length > 0) {
    throw new ModelAssetError(`${name}: no ${empty.join(', ')} weights found. An SD 1.x single-file checkpoint has keys starting with "${UNET_PREFIX}", "${VAE_PREFIX}" and "${TEXT_PREFIX}".`);
  }
  return {
    name,
    unet: { config: configs.unet, weights: new SafetensorsWeights(parts.unet, `${name} (unet)`) },
    textEncoder: { config: configs.textEncoder, weights: new SafetensorsWeights(parts.text_encoder, `${name} (text encoder)`) },
    vae: { config: configs.vae, weights: new SafetensorsWeights(parts.vae, `${name} (vae)`) },
    tokenizer,
    scheduler: { className: 'single-file SD 1.x', overrides: SD15_SCHEDULER },
  };
}
