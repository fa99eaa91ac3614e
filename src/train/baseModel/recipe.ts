// Recipe of the shipped default model (issue 5): configs of the tiny SD-architecture pipeline (word vocab,
// CLIP-style text encoder, ×4 AutoencoderKL, UNet with cross-attention at 16×16 and 8×8), the DDPM schedule
// and the training hyper-parameters. Pure data; never reads files. Reference: diffusers config.json fields.
import { BACKGROUNDS, COLORS, PATTERNS, SHAPES, SIZES } from '../../world/index';
import type { AutoencoderKLConfig, ClipTextConfig, UNet2DConditionConfig } from '../../onnx/index';
import type { BetaConfig } from '../../diffusion/schedulers/types';

/** Tokens per prompt: the longest world caption (3 objects + background) is 23 tokens with BOS/EOS. */
export const BASE_SEQ_LEN = 24;
export const IMAGE_SIZE = 64;
export const LATENT_SIZE = 16;

/** Word vocab, index = id: specials, grammar words, then the world's words. */
export function baseVocab(): string[] {
  const words = ['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'and', 'on', 'background', ','];
  for (const w of [...SIZES, ...COLORS, ...PATTERNS, ...SHAPES, ...BACKGROUNDS]) if (!words.includes(w)) words.push(w);
  return words;
}

export const BASE_VAE: AutoencoderKLConfig = {
  in_channels: 3,
  out_channels: 3,
  block_out_channels: [16, 32, 64],
  down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D'],
  up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D'],
  layers_per_block: 1,
  latent_channels: 4,
  norm_num_groups: 8,
  act_fn: 'silu',
  sample_size: IMAGE_SIZE,
  scaling_factor: 1,
};

export const BASE_TEXT: ClipTextConfig = {
  vocab_size: baseVocab().length,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  max_position_embeddings: BASE_SEQ_LEN,
  hidden_act: 'quick_gelu',
  layer_norm_eps: 1e-5,
};

export const BASE_UNET: UNet2DConditionConfig = {
  sample_size: LATENT_SIZE,
  in_channels: 4,
  out_channels: 4,
  block_out_channels: [64, 128],
  layers_per_block: 1,
  down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D'],
  up_block_types: ['CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  cross_attention_dim: 64,
  attention_head_dim: 4,
  norm_num_groups: 32,
  norm_eps: 1e-5,
  act_fn: 'silu',
  flip_sin_to_cos: true,
  freq_shift: 0,
  downsample_padding: 1,
  center_input_sample: false,
  mid_block_scale_factor: 1,
};

/** SD 1.x DDPM schedule (scaled_linear 0.00085 → 0.012, T = 1000). */
export const BASE_BETAS: BetaConfig = { numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' };

export type BaseHyper = { batch: number; lr: number; weightDecay: number; maxGradNorm: number; klWeight: number; captionDropout: number };

export const BASE_HYPER: BaseHyper = { batch: 16, lr: 1e-3, weightDecay: 0.01, maxGradNorm: 1, klWeight: 1e-4, captionDropout: 0.1 };
