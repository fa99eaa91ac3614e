// The embedded default model's architecture (public/models/default): diffusers / transformers configs sized for training on
// 2 CPU cores in about an hour, the word vocabulary of the world grammar, and the DDPM noise schedule.
// Pure data. Reference: src/onnx/models/configs.ts (field meanings), src/world/caption.ts (grammar).
import type { AutoencoderKLConfig, ClipTextConfig, UNet2DConditionConfig } from '../../onnx/index';
import { MIN_SNR_GAMMA } from '../losses/minSnr';
import { BACKGROUNDS, COLORS, PATTERN_WORD, SHAPES, SIZES } from '../../world/index';

/** Image side in pixels (world scenes) and latent side (VAE factor 4). */
export const BASE_IMAGE = 64;
export const BASE_LATENT = 16;
/** Tokens per prompt: the longest world caption (3 objects) is 23 with BOS/EOS. */
export const BASE_SEQ_LEN = 32;
/** Free vocabulary rows after the words, for later additions without resizing. */
export const SPARE_ROWS = 16;

/** Word vocabulary (index = id): specials, grammar words, then the world's attributes; then `<spare-i>` rows. */
export function baseVocab(): string[] {
  const words = ['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'and', 'on', 'background', ','];
  const attributes = [...SIZES, ...COLORS, ...Object.values(PATTERN_WORD).filter((w) => w !== ''), ...SHAPES, ...BACKGROUNDS];
  for (const w of attributes) if (!words.includes(w)) words.push(w);
  for (let i = 0; i < SPARE_ROWS; i++) words.push(`<spare-${i}>`);
  return words;
}

/** AutoencoderKL: 64×64×3 ↔ 16×16×8 (three blocks, ×4), channels 16/32/32. Eight latent channels (SD's four
 * blurred shapes and washed out colours at this size: the evaluator scored 4-channel reconstructions 56 % shape). */
export const BASE_VAE: AutoencoderKLConfig = {
  in_channels: 3,
  out_channels: 3,
  block_out_channels: [16, 32, 32],
  down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D'],
  up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D'],
  layers_per_block: 1,
  latent_channels: 8,
  norm_num_groups: 8,
  act_fn: 'silu',
  sample_size: BASE_IMAGE,
  /** replaced after stage A by 1 / std of the training latents (as SD's 0.18215 was chosen) */
  scaling_factor: 1,
};

/** CLIP-style causal text encoder: hidden 64, 2 layers, 4 heads. */
export const BASE_CLIP_TEXT: ClipTextConfig = {
  vocab_size: baseVocab().length,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  max_position_embeddings: BASE_SEQ_LEN,
  hidden_act: 'quick_gelu',
  layer_norm_eps: 1e-5,
};

/** UNet on 16×16×8 latents: channels 32/64, cross-attention at 16×16, 8×8 (down, mid, up). */
export const BASE_UNET: UNet2DConditionConfig = {
  sample_size: BASE_LATENT,
  in_channels: 8,
  out_channels: 8,
  block_out_channels: [32, 64],
  layers_per_block: 1,
  down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D'],
  up_block_types: ['CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  cross_attention_dim: 64,
  attention_head_dim: 2,
  norm_num_groups: 8,
  norm_eps: 1e-5,
  act_fn: 'silu',
  flip_sin_to_cos: true,
  freq_shift: 0,
  downsample_padding: 1,
  center_input_sample: false,
  mid_block_scale_factor: 1,
};

/** Stage B's Min-SNR-γ loss weighting (src/train/losses/minSnr.ts): the paper's γ. */
export const BASE_MIN_SNR_GAMMA = MIN_SNR_GAMMA;

/** Stage B's object-count mix (1, 2, 3 objects): single objects, which the shape and colour bars score, get half
 * the scenes; the VAE stage keeps sampleScene's uniform 1–3. */
export const BASE_COUNT_WEIGHTS = [0.5, 0.3, 0.2] as const;

/** SD 1.x noise schedule (scaled_linear, T = 1000), as the scheduler_config.json the folder ships. */
export const BASE_BETAS = { numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' as const };
