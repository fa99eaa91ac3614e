// Surgery on imported graphs (diffusers/Optimum ONNX exports): find cross-attention, make it trainable, unfuse
// com.microsoft attention. Re-exported by src/onnx/index.ts; other folders import from there. Pure.
export { findCrossAttention } from './findCrossAttention';
export type { CrossAttentionMatch, FindCrossAttentionOptions } from './findCrossAttention';
export { makeTrainable } from './makeTrainable';
export type { MakeTrainableOptions, TrainableGraph, TrainableLayer } from './makeTrainable';
export { unfuseAttention, unfuseAttentionPass } from './unfuseAttention';
