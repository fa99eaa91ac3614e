// Parses the config.json files of a diffusers folder into the builders' config types: required fields are
// checked (the error names the file and the field), optional ones take diffusers' / transformers' defaults.
// No I/O: takes parsed JSON. Reference: diffusers UNet2DConditionModel / AutoencoderKL __init__ defaults,
// transformers CLIPTextConfig defaults; src/onnx/models/configs.ts for the types.
import { ModelAssetError } from '../../lib/errors';
import type { AutoencoderKLConfig, ClipTextConfig, UNet2DConditionConfig } from '../../onnx/index';
import type { SchedulerOverrides } from '../schedulers/registry';

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
export type FolderSchedulerConfig = {
  className: string;
  /** The keys the config sets (diffusers names mapped to ours); absent keys stay absent (createSchedulerFromConfig). */
  overrides: SchedulerOverrides;
};

/** diffusers scheduler_config.json key → our SchedulerOverrides key, check and description. */
const SCHEDULER_KEYS: readonly [string, keyof SchedulerOverrides, (v: unknown) => boolean, string][] = [
  ['num_train_timesteps', 'numTrainTimesteps', isInt, 'a positive integer'],
  ['beta_start', 'betaStart', isNum, 'a number'],
  ['beta_end', 'betaEnd', isNum, 'a number'],
  ['beta_schedule', 'betaSchedule', oneOf(['linear', 'scaled_linear', 'squaredcos_cap_v2']), '"linear" | "scaled_linear" | "squaredcos_cap_v2"'],
  ['prediction_type', 'predictionType', oneOf(['epsilon', 'v_prediction']), '"epsilon" | "v_prediction"'],
  ['timestep_spacing', 'timestepSpacing', oneOf(['leading', 'trailing', 'linspace']), '"leading" | "trailing" | "linspace"'],
  ['steps_offset', 'stepsOffset', (v) => Number.isInteger(v) && (v as number) >= 0, 'an integer ≥ 0'],
  ['clip_sample', 'clipSample', isBool, 'true or false'],
  ['clip_sample_range', 'clipSampleRange', (v) => isNum(v) && (v as number) > 0, 'a number > 0'],
  ['set_alpha_to_one', 'setAlphaToOne', isBool, 'true or false'],
  ['rescale_betas_zero_snr', 'rescaleBetasZeroSnr', isBool, 'true or false'],
];

/** Keys whose non-default values change the result and are not implemented: refused rather than ignored. */
const SCHEDULER_UNSUPPORTED: readonly [string, (v: unknown) => boolean, string][] = [
  ['trained_betas', (v) => v === null || v === undefined, 'null (explicit β lists are not supported)'],
  ['thresholding', (v) => v === false || v === undefined, 'false (dynamic thresholding is not supported)'],
  ['timestep_type', (v) => v === 'discrete' || v === undefined, '"discrete"'],
];

/**
 * scheduler/scheduler_config.json → the keys it sets, with diffusers' meaning: the pipeline builds the chosen
 * sampler with createSchedulerFromConfig, so keys the folder lacks take the diffusers class's own defaults
 * (as `from_config` does) and the folder's class (often PNDMScheduler) is recorded, not used.
 * @throws ModelAssetError naming the file and the key for a bad value or an unsupported setting
 */
export function parseSchedulerConfig(raw: unknown, file = 'scheduler/scheduler_config.json'): FolderSchedulerConfig {
  const o = asObject(file, raw);
  const overrides: Record<string, unknown> = {};
  for (const [key, ours, check, what] of SCHEDULER_KEYS) {
    if (o[key] !== undefined && o[key] !== null) overrides[ours] = field(file, o, key, check, what);
  }
  for (const [key, check, what] of SCHEDULER_UNSUPPORTED) {
    if (!check(o[key])) throw new ModelAssetError(`${file}: "${key}" is ${JSON.stringify(o[key])}; the studio supports only ${what}.`);
  }
  return { className: typeof o._class_name === 'string' ? o._class_name : 'unknown', overrides: overrides as SchedulerOverrides };
}
