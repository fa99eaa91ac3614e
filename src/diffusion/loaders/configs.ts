// Parses the config.json files of a diffusers folder into the builders' config types: required fields are
// checked (the error names the file and the field), optional ones take diffusers' / transformers' defaults.
// No I/O: takes parsed JSON. Reference: diffusers UNet2DConditionModel / AutoencoderKL __init__ defaults,
// transformers CLIPTextConfig defaults; src/onnx/models/configs.ts for the types.
import { ModelAssetError, showValue } from '../../lib/errors';
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
  if (!check(v)) throw new ModelAssetError(`${file}: "${key}" is ${showValue(v)}; expected ${what}.`);
  return v as T;
}

/**
 * Upper bounds of the size fields, with room above the largest SD-family models (SD 1.5 / 2.x / XL stay well
 * inside): a config beyond them would build graphs of unbounded size before any weight is compared, so it is
 * refused first. Every other size follows from these and the weights check (weightCheck.ts).
 */
export const CONFIG_BOUNDS = {
  channels: 8192,
  levels: 8,
  layersPerBlock: 16,
  heads: 256,
  sampleSize: 1024,
  hiddenLayers: 96,
  vocab: 1_000_000,
  positions: 4096,
  ioChannels: 64,
} as const;

const bounded = (max: number) => (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0 && (v as number) <= max;
const boundedList = (max: number, maxLength: number) => (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.length <= maxLength && v.every(bounded(max));

/**
 * Config keys that change the architecture, with the one value (or values) the builders implement. A config that
 * sets one of them otherwise is refused naming the key, before anything is built: diffusers would build another
 * network (e.g. transformer_layers_per_block 2 stacks two transformer blocks per attention), and these builders would
 * silently build the SD 1.x one. `null` stands for "absent or null". Keys not listed only tune numerics or training.
 */
const UNET_ARCHITECTURE: Record<string, readonly unknown[]> = {
  transformer_layers_per_block: [1, null],
  reverse_transformer_layers_per_block: [null],
  class_embed_type: [null],
  num_class_embeds: [null],
  addition_embed_type: [null],
  encoder_hid_dim: [null],
  encoder_hid_dim_type: [null],
  time_embedding_type: ['positional', null],
  time_embedding_dim: [null],
  time_embedding_act_fn: [null],
  timestep_post_act: [null],
  time_cond_proj_dim: [null],
  projection_class_embeddings_input_dim: [null],
  resnet_time_scale_shift: ['default', null],
  resnet_skip_time_act: [false, null],
  resnet_out_scale_factor: [1, 1.0, null],
  only_cross_attention: [false, null],
  dual_cross_attention: [false, null],
  class_embeddings_concat: [false, null],
  mid_block_only_cross_attention: [null, false],
  cross_attention_norm: [null],
  attention_type: ['default', null],
  conv_in_kernel: [3, null],
  conv_out_kernel: [3, null],
};
const CLIP_ARCHITECTURE: Record<string, readonly unknown[]> = {
  position_embedding_type: ['absolute', null],
};
const VAE_ARCHITECTURE: Record<string, readonly unknown[]> = {
  mid_block_add_attention: [true, null],
  use_quant_conv: [true, null],
  use_post_quant_conv: [true, null],
  force_upcast: [true, false, null],
  latents_mean: [null],
  latents_std: [null],
  shift_factor: [null],
};

/** Refuses architecture keys set to what the builders do not build (see UNET_ARCHITECTURE). */
function refuseArchitecture(file: string, o: Json, table: Record<string, readonly unknown[]>): void {
  const bad = Object.entries(table).filter(([k, allowed]) => !allowed.includes(o[k] ?? null));
  if (bad.length === 0) return;
  const shown = bad.map(([k]) => `"${k}": ${showValue(o[k])} (supported: ${table[k]!.map((v) => (v === null ? 'absent' : JSON.stringify(v))).join(' or ')})`);
  throw new ModelAssetError(`${file} describes an architecture this studio does not build: ${shown.join('; ')}. Only SD 1.x-style models load.`);
}

const isInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const oneOf = (values: readonly string[]) => (v: unknown): boolean => typeof v === 'string' && values.includes(v);
const listOf = (values: readonly string[]) => (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(oneOf(values));

/** unet/config.json → UNet2DConditionConfig. */
export function parseUnetConfig(raw: unknown, file = 'unet/config.json'): UNet2DConditionConfig {
  const o = asObject(file, raw);
  refuseArchitecture(file, o, UNET_ARCHITECTURE);
  const B = CONFIG_BOUNDS;
  const heads = (v: unknown): boolean => bounded(B.heads)(v) || boundedList(B.heads, B.levels)(v);
  const levels = field<unknown[]>(file, o, 'down_block_types', (v) => Array.isArray(v) && v.length > 0 && v.length <= B.levels, `a list of 1–${B.levels} block types`);
  const agree = (key: string, v: unknown): void => {
    if (!Array.isArray(v) || v.length !== levels.length) throw new ModelAssetError(`${file}: "${key}" lists ${Array.isArray(v) ? v.length : showValue(v)} entries, "down_block_types" ${levels.length}; they must agree.`);
  };
  const channels = field<number[]>(file, o, 'block_out_channels', boundedList(B.channels, B.levels), `a list of 1–${B.levels} integers in 1..${B.channels}`);
  agree('block_out_channels', channels);
  agree('up_block_types', o.up_block_types);
  if (Array.isArray(o.attention_head_dim)) agree('attention_head_dim', o.attention_head_dim);
  if (Array.isArray(o.num_attention_heads)) agree('num_attention_heads', o.num_attention_heads);
  if (o.num_attention_heads !== undefined && o.num_attention_heads !== null) field(file, o, 'num_attention_heads', heads, `an integer or a list of integers in 1..${B.heads}`);
  const groups = field<number>(file, o, 'norm_num_groups', bounded(B.channels), `an integer in 1..${B.channels}`, 32);
  const odd = channels.find((c) => c % groups !== 0);
  if (odd !== undefined) throw new ModelAssetError(`${file}: "block_out_channels" holds ${odd}, not divisible by "norm_num_groups" ${groups}.`);
  return {
    sample_size: field(file, o, 'sample_size', bounded(B.sampleSize), `an integer in 1..${B.sampleSize}`, 64),
    in_channels: field(file, o, 'in_channels', bounded(B.ioChannels), `an integer in 1..${B.ioChannels}`, 4),
    out_channels: field(file, o, 'out_channels', bounded(B.ioChannels), `an integer in 1..${B.ioChannels}`, 4),
    block_out_channels: channels,
    layers_per_block: field(file, o, 'layers_per_block', bounded(B.layersPerBlock), `an integer in 1..${B.layersPerBlock}`, 2),
    down_block_types: field(file, o, 'down_block_types', listOf(['CrossAttnDownBlock2D', 'DownBlock2D']), 'a list of "CrossAttnDownBlock2D" | "DownBlock2D"'),
    up_block_types: field(file, o, 'up_block_types', listOf(['UpBlock2D', 'CrossAttnUpBlock2D']), 'a list of "UpBlock2D" | "CrossAttnUpBlock2D"'),
    mid_block_type: field(file, o, 'mid_block_type', oneOf(['UNetMidBlock2DCrossAttn']), '"UNetMidBlock2DCrossAttn"', 'UNetMidBlock2DCrossAttn'),
    cross_attention_dim: field(file, o, 'cross_attention_dim', bounded(B.channels), `an integer in 1..${B.channels}`),
    attention_head_dim: field(file, o, 'attention_head_dim', heads, `an integer or a list of integers in 1..${B.heads}`, 8),
    num_attention_heads: (o.num_attention_heads as number | number[] | null | undefined) ?? null,
    norm_num_groups: groups,
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
  refuseArchitecture(file, o, CLIP_ARCHITECTURE);
  const B = CONFIG_BOUNDS;
  return {
    vocab_size: field(file, o, 'vocab_size', bounded(B.vocab), `an integer in 1..${B.vocab}`),
    hidden_size: field(file, o, 'hidden_size', bounded(B.channels), `an integer in 1..${B.channels}`),
    intermediate_size: field(file, o, 'intermediate_size', bounded(4 * B.channels), `an integer in 1..${4 * B.channels}`),
    num_hidden_layers: field(file, o, 'num_hidden_layers', bounded(B.hiddenLayers), `an integer in 1..${B.hiddenLayers}`),
    num_attention_heads: field(file, o, 'num_attention_heads', bounded(B.heads), `an integer in 1..${B.heads}`),
    max_position_embeddings: field(file, o, 'max_position_embeddings', bounded(B.positions), `an integer in 1..${B.positions}`, 77),
    hidden_act: field(file, o, 'hidden_act', oneOf(['quick_gelu', 'gelu']), '"quick_gelu" | "gelu"', 'quick_gelu'),
    layer_norm_eps: field(file, o, 'layer_norm_eps', isNum, 'a number', 1e-5),
  };
}

/** vae/config.json → AutoencoderKLConfig. */
export function parseVaeConfig(raw: unknown, file = 'vae/config.json'): AutoencoderKLConfig {
  const o = asObject(file, raw);
  refuseArchitecture(file, o, VAE_ARCHITECTURE);
  const B = CONFIG_BOUNDS;
  const groups = field<number>(file, o, 'norm_num_groups', bounded(B.channels), `an integer in 1..${B.channels}`, 32);
  const channels = field<number[]>(file, o, 'block_out_channels', boundedList(B.channels, B.levels), `a list of 1–${B.levels} integers in 1..${B.channels}`);
  const odd = channels.find((c) => c % groups !== 0);
  if (odd !== undefined) throw new ModelAssetError(`${file}: "block_out_channels" holds ${odd}, not divisible by "norm_num_groups" ${groups}.`);
  return {
    in_channels: field(file, o, 'in_channels', bounded(B.ioChannels), `an integer in 1..${B.ioChannels}`, 3),
    out_channels: field(file, o, 'out_channels', bounded(B.ioChannels), `an integer in 1..${B.ioChannels}`, 3),
    block_out_channels: channels,
    down_block_types: field(file, o, 'down_block_types', listOf(['DownEncoderBlock2D']), 'a list of "DownEncoderBlock2D"'),
    up_block_types: field(file, o, 'up_block_types', listOf(['UpDecoderBlock2D']), 'a list of "UpDecoderBlock2D"'),
    layers_per_block: field(file, o, 'layers_per_block', bounded(B.layersPerBlock), `an integer in 1..${B.layersPerBlock}`, 1),
    latent_channels: field(file, o, 'latent_channels', bounded(B.ioChannels), `an integer in 1..${B.ioChannels}`, 4),
    norm_num_groups: groups,
    act_fn: field(file, o, 'act_fn', oneOf(['silu']), '"silu"', 'silu'),
    sample_size: field(file, o, 'sample_size', bounded(8 * B.sampleSize), `an integer in 1..${8 * B.sampleSize}`, 512),
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
