// Model configurations in diffusers / transformers config.json field names (snake_case kept on purpose, so a
// real config.json parses straight into these types). SD15_* are runwayml/stable-diffusion-v1-5's files;
// TINY_* are small random-weight configurations for tests. Pure data, no I/O.
// Reference: diffusers UNet2DConditionModel / AutoencoderKL, transformers CLIPTextConfig.

/** UNet2DConditionModel config (the subset SD 1.x/2.x use). */
export type UNet2DConditionConfig = {
  sample_size: number;
  in_channels: number;
  out_channels: number;
  block_out_channels: number[];
  layers_per_block: number;
  down_block_types: ('CrossAttnDownBlock2D' | 'DownBlock2D')[];
  up_block_types: ('UpBlock2D' | 'CrossAttnUpBlock2D')[];
  mid_block_type?: 'UNetMidBlock2DCrossAttn';
  cross_attention_dim: number;
  /**
   * diffusers quirk: for UNet2DConditionModel this is the number of HEADS (num_attention_heads defaults to it),
   * per block when a list. SD 1.5: 8 heads everywhere (head dim = channels / 8).
   */
  attention_head_dim: number | number[];
  num_attention_heads?: number | number[] | null;
  norm_num_groups: number;
  norm_eps: number;
  act_fn: 'silu';
  flip_sin_to_cos: boolean;
  freq_shift: number;
  downsample_padding: number;
  center_input_sample?: boolean;
  mid_block_scale_factor?: number;
  /** SD 2.x: proj_in/proj_out are Linear instead of 1×1 Conv. */
  use_linear_projection?: boolean;
};

/** CLIPTextConfig (transformers). */
export type ClipTextConfig = {
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  max_position_embeddings: number;
  hidden_act: 'quick_gelu' | 'gelu';
  layer_norm_eps: number;
};

/** AutoencoderKL config (diffusers). */
export type AutoencoderKLConfig = {
  in_channels: number;
  out_channels: number;
  block_out_channels: number[];
  down_block_types: 'DownEncoderBlock2D'[];
  up_block_types: 'UpDecoderBlock2D'[];
  layers_per_block: number;
  latent_channels: number;
  norm_num_groups: number;
  act_fn: 'silu';
  sample_size: number;
  scaling_factor: number;
};

/** runwayml/stable-diffusion-v1-5 unet/config.json */
export const SD15_UNET: UNet2DConditionConfig = {
  sample_size: 64,
  in_channels: 4,
  out_channels: 4,
  block_out_channels: [320, 640, 1280, 1280],
  layers_per_block: 2,
  down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  cross_attention_dim: 768,
  attention_head_dim: 8,
  norm_num_groups: 32,
  norm_eps: 1e-5,
  act_fn: 'silu',
  flip_sin_to_cos: true,
  freq_shift: 0,
  downsample_padding: 1,
  center_input_sample: false,
  mid_block_scale_factor: 1,
};

/** runwayml/stable-diffusion-v1-5 text_encoder/config.json (CLIP ViT-L/14 text tower). */
export const SD15_CLIP_TEXT: ClipTextConfig = {
  vocab_size: 49408,
  hidden_size: 768,
  intermediate_size: 3072,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  max_position_embeddings: 77,
  hidden_act: 'quick_gelu',
  layer_norm_eps: 1e-5,
};

/** runwayml/stable-diffusion-v1-5 vae/config.json */
export const SD15_VAE: AutoencoderKLConfig = {
  in_channels: 3,
  out_channels: 3,
  block_out_channels: [128, 256, 512, 512],
  down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D'],
  up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D'],
  layers_per_block: 2,
  latent_channels: 4,
  norm_num_groups: 32,
  act_fn: 'silu',
  sample_size: 512,
  scaling_factor: 0.18215,
};

/** Tiny UNet with every SD 1.5 feature: cross-attn down/up/mid blocks, downsample, upsample, skip concat, shortcut conv. */
export const TINY_UNET: UNet2DConditionConfig = {
  ...SD15_UNET,
  sample_size: 8,
  block_out_channels: [32, 64],
  layers_per_block: 1,
  down_block_types: ['CrossAttnDownBlock2D', 'DownBlock2D'],
  up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D'],
  cross_attention_dim: 32,
  attention_head_dim: 2,
  norm_num_groups: 8,
};

/** Tiny causal CLIP text encoder (hidden 32, 2 layers, 4 heads). */
export const TINY_CLIP_TEXT: ClipTextConfig = {
  vocab_size: 100,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  max_position_embeddings: 77,
  hidden_act: 'quick_gelu',
  layer_norm_eps: 1e-5,
};

/** Tiny VAE: two resolutions (one downsample, one upsample), channels 32/64, 16 norm groups. */
export const TINY_VAE: AutoencoderKLConfig = {
  ...SD15_VAE,
  block_out_channels: [32, 64],
  down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D'],
  up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D'],
  layers_per_block: 1,
  norm_num_groups: 16,
  sample_size: 16,
};
