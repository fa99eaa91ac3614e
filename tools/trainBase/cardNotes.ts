// One-line descriptions of the default model's configs for MODEL_CARD.md (derived from src/train/base/config.ts).
import { BASE_CLIP_TEXT as T, BASE_UNET as U, BASE_VAE as V } from '../../src/train/base/config';
import { KL_WEIGHT } from '../../src/train/base/graphs';

export const BASE_VAE = `channels ${V.block_out_channels.join('/')}, ${V.layers_per_block} layer/block, ${V.latent_channels} latent channels, 64×64 → 16×16`;
export const BASE_CLIP_TEXT = `hidden ${T.hidden_size}, ${T.num_hidden_layers} layers, ${T.num_attention_heads} heads, MLP ${T.intermediate_size}, vocab ${T.vocab_size}, ${T.max_position_embeddings} positions`;
export const BASE_UNET = `channels ${U.block_out_channels.join('/')}, ${U.layers_per_block} layer/block, cross-attention (dim ${U.cross_attention_dim}, ${String(U.attention_head_dim)} heads) at 16×16 and 8×8 in down, mid and up blocks`;
export const KL_WEIGHT_NOTE = String(KL_WEIGHT);
