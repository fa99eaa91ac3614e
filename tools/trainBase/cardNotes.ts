// One-line descriptions of the default model's configs for MODEL_CARD.md (derived from src/train/base/config.ts).
import { BASE_CLIP_TEXT as T, BASE_IMAGE, BASE_LATENT, BASE_UNET as U, BASE_VAE as V } from '../../src/train/base/config';
import { KL_WEIGHT } from '../../src/train/base/graphs';

export const BASE_VAE = `channels ${V.block_out_channels.join('/')}, ${V.layers_per_block} layer/block, ${V.latent_channels} latent channels, ${BASE_IMAGE}×${BASE_IMAGE} → ${BASE_LATENT}×${BASE_LATENT}`;
export const BASE_CLIP_TEXT = `hidden ${T.hidden_size}, ${T.num_hidden_layers} layers, ${T.num_attention_heads} heads, MLP ${T.intermediate_size}, vocab ${T.vocab_size}, ${T.max_position_embeddings} positions`;
/** Latent sides of the UNet's levels whose down block has cross-attention (the mid block sits at the last level). */
const attnSides = U.down_block_types.flatMap((t, i) => (t === 'CrossAttnDownBlock2D' ? [`${BASE_LATENT >> i}×${BASE_LATENT >> i}`] : []));
const plainSides = U.down_block_types.flatMap((t, i) => (t === 'DownBlock2D' ? [`${BASE_LATENT >> i}×${BASE_LATENT >> i}`] : []));
export const BASE_UNET = `channels ${U.block_out_channels.join('/')}, ${U.layers_per_block} layer/block, cross-attention (dim ${U.cross_attention_dim}, ${String(U.attention_head_dim)} heads) at ${attnSides.join(' and ')} in down, mid and up blocks${plainSides.length ? `; convolution only at ${plainSides.join(', ')}` : ''}`;
export const SIZE_NOTE = `${BASE_IMAGE}×${BASE_IMAGE} only (UNet sample_size ${BASE_LATENT}, VAE factor ${BASE_IMAGE / BASE_LATENT})`;
export const KL_WEIGHT_NOTE = String(KL_WEIGHT);
