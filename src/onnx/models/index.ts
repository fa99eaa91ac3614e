// Model builders of the toolkit (Stable Diffusion family as ONNX graphs), re-exported by src/onnx/index.ts.
// Pure graph construction, diffusers / transformers state-dict names; nothing here runs a model.
export * from './configs';
export { MapWeights, ParamTable, RandomWeights } from './weights';
export type { ModelBuildOptions, ParamEntry, WeightSource, WeightsOption } from './weights';
export { buildUnet } from './unet/unet';
export type { CrossAttentionLayerInfo, CrossAttentionOutput, UnetBuild, UnetBuildOptions } from './unet/unet';
export { timestepFrequencies } from './unet/timestep';
export { buildClipText, causalMask } from './clipText';
export type { ClipTextBuild, ClipTextBuildOptions } from './clipText';
export { buildVaeEncoder, vaeScaleFactor } from './vae/encoder';
export type { VaeBuild, VaeBuildOptions } from './vae/encoder';
export { buildVaeDecoder } from './vae/decoder';
