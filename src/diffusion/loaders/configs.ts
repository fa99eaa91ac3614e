// Parses the config.json files of a diffusers folder into the builders' config types: required fields are
// checked (the error names the file and the field), optional ones take diffusers' / transformers' defaults.
// No I/O: takes parsed JSON. Reference: diffusers UNet2DConditionModel / AutoencoderKL __init__ defaults,
// transformers CLIPTextConfig defaults; src/onnx/models/configs.ts for the types.
import { ModelAssetError } from '../../lib/errors';
import type { AutoencoderKLConfig, ClipTextConfig, UNet2DConditionConfig } from '../../onnx/index';
import type { SchedulerOverrides } from '../schedulers/registry';
import type { BetaSchedule, PredictionType } from '../schedulers/types';

type Json = Record<string, unknown>;

function asObject(file: string, raw: unknown): Json {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ModelAssetError(`${file} must be a JSON object.`);
  return raw as Json;
}

function field<T>(file: string, o: Json, key: string, check: (v: unknown) => boolean, what: string, fallback?: T): T {
  const v = o[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new ModelAssetError(`${file} lacks the required field "${key}" (${what}).`);
  }
  if (!check(v)) throw new ModelAssetError(`${file}: "${key}" is ${JSON.stringify(v)}; expected ${what}.`);
  return v as T;
}

const isInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const isIntList = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(isInt);
const oneOf = (values: readonly string[]) => (v: unknown): boolean => typeof v === 'string' && values.includes(v);
const listOf = (values: readonly string[]) => (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(oneOf(values));

/** unet/config.json → UNet2DConditionConfig. */
export function parseUnetConfig(raw: unknown, file = 'unet/config.json'): UNet2DConditionConfig {
  const o = asObject(file, raw);
  const heads = (v: unknown): boolean => isInt(v) || isIntList(v);
  return {
    sample_size: field(file, o, 'sample_size', isInt, 'a positive integer', 64),
    in_channels: field(file, o, 'in_channels', isInt, 'a positive integer', 4),
    out_channels: field(file, o, 'out_channels', isInt, 'a positive integer', 4),
    block_out_channels: field(file, o, 'block_out_channels', isIntList, 'a list of positive integers'),
    layers_per_block: field(file, o, 'layers_per_block', isInt, 'a positive integer', 2),
    down_block_types: field(file, o, 'down_block_types', listOf(['CrossAttnDownBlock2D', 'DownBlock2D']), 'a list of "CrossAttnDownBlock2D" | "DownBlock2D"'),
    up_block_types: field(file, o, 'up_block_types', listOf(['UpBlock2D', 'CrossAttnUpBlock2D']), 'a list of "UpBlock2D" | "CrossAttnUpBlock2D"'),
    mid_block_type: field(file, o, 'mid_block_type', oneOf(['UNetMidBlock2DCrossAttn']), '"UNetMidBlock2DCrossAttn"', 'UNetMidBlock2DCrossAttn'),
    cross_attention_dim: field(file, o, 'cross_attention_dim', isInt, 'a positive integer'),
    attention_head_dim: field(file, o, 'attention_head_dim', heads, 'an integer or a list of integers', 8),
    num_attention_heads: (o.num_attention_heads as number | number[] | null | undefined) ?? null,
    norm_num_groups: field(file, o, 'norm_num_groups', isInt, 'a positive integer', 32),
    norm_eps: field(file, o, 'norm_eps', isNum, 'a number', 1e-5),
    act_fn: field(file, o, 'act_fn', oneOf(['silu']), '"silu"', 'silu'),
    flip_sin_to_cos: field(file, o, 'flip_sin_to_cos', isBool, 'a boolean', true),
    freq_shift: field(file, o, 'freq_shift', isNum, 'a number', 0),
    downsample_padding: field(file, o, 'downsample_padding', isNum, 'a number', 1),
    center_input_sample: field(file, o, 'center_input_sample', isBool, 'a boolean', false),
    mid_block_scale_factor: field(file, o, 'mid_block_scale_factor', isNum, 'a number', 1),
    use_linear_projection: field(file, o, 'use_linear_projection', isBool, 'a boolean', false),
  };
}

/** text_encoder/config.json → ClipTextConfig. */
export function parseClipTextConfig(raw: unknown, file = 'text_encoder/config.json'): ClipTextConfig {
  const o = asObject(file, raw);
  return {
    vocab_size: field(file, o, 'vocab_size', isInt, 'a positive integer'),
    hidden_size: field(file, o, 'hidden_size', isInt, 'a positive integer'),
    intermediate_size: field(file, o, 'intermediate_size', isInt, 'a positive integer'),
    num_hidden_layers: field(file, o, 'num_hidden_layers', isInt, 'a positive integer'),
    num_attention_heads: field(file, o, 'num_attention_heads', isInt, 'a positive integer'),
    max_position_embeddings: field(file, o, 'max_position_embeddings', isInt, 'a positive integer', 77),
    hidden_act: field(file, o, 'hidden_act', oneOf(['quick_gelu', 'gelu']), '"quick_gelu" | "gelu"', 'quick_gelu'),
    layer_norm_eps: field(file, o, 'layer_norm_eps', isNum, 'a number', 1e-5),
  };
}

/** vae/config.json → AutoencoderKLConfig. */
export function parseVaeConfig(raw: unknown, file = 'vae/config.json'): AutoencoderKLConfig {
  const o = asObject(file, raw);
  return {
    in_channels: field(file, o, 'in_channels', isInt, 'a positive integer', 3),
    out_channels: field(file, o, 'out_channels', isInt, 'a positive integer', 3),
    block_out_channels: field(file, o, 'block_out_channels', isIntList, 'a list of positive integers'),
    down_block_types: field(file, o, 'down_block_types', listOf(['DownEncoderBlock2D']), 'a list of "DownEncoderBlock2D"'),
    up_block_types: field(file, o, 'up_block_types', listOf(['UpDecoderBlock2D']), 'a list of "UpDecoderBlock2D"'),
    layers_per_block: field(file, o, 'layers_per_block', isInt, 'a positive integer', 1),
    latent_channels: field(file, o, 'latent_channels', isInt, 'a positive integer', 4),
    norm_num_groups: field(file, o, 'norm_num_groups', isInt, 'a positive integer', 32),
    act_fn: field(file, o, 'act_fn', oneOf(['silu']), '"silu"', 'silu'),
    sample_size: field(file, o, 'sample_size', isInt, 'a positive integer', 512),
    scaling_factor: field(file, o, 'scaling_factor', isNum, 'a number', 0.18215),
  };
}

/** What the folder's scheduler config fixes for every sampler: the noise schedule and the prediction type. */
export type FolderSchedulerConfig = { className: string; overrides: SchedulerOverrides };

/**
 * scheduler/scheduler_config.json → the β schedule and prediction type. Deliberate deviation from diffusers:
 * timestep spacing and steps offset stay the per-sampler A1111 defaults of the registry, so a sampler name
 * means the same thing for every model (the folder's class, often PNDMScheduler, is recorded, not used).
 */
export function parseSchedulerConfig(raw: unknown, file = 'scheduler/scheduler_config.json'): FolderSchedulerConfig {
  const o = asObject(file, raw);
  return {
    className: typeof o._class_name === 'string' ? o._class_name : 'unknown',
    overrides: {
      numTrainTimesteps: field(file, o, 'num_train_timesteps', isInt, 'a positive integer', 1000),
      betaStart: field(file, o, 'beta_start', isNum, 'a number', 0.00085),
      betaEnd: field(file, o, 'beta_end', isNum, 'a number', 0.012),
      betaSchedule: field<BetaSchedule>(file, o, 'beta_schedule', oneOf(['linear', 'scaled_linear', 'squaredcos_cap_v2']), '"linear" | "scaled_linear" | "squaredcos_cap_v2"', 'scaled_linear'),
      predictionType: field<PredictionType>(file, o, 'prediction_type', oneOf(['epsilon', 'v_prediction']), '"epsilon" | "v_prediction"', 'epsilon'),
    },
  };
}
