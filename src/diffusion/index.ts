// Public entry of src/diffusion: schedulers, tokenizers, safetensors, PNG. Other folders import only this.
// No React, no onnxruntime here; pipelines reach the runtime through its interfaces only.
// Reference: house-style.md §9–§10.
export type { BetaConfig, BetaSchedule, PredictionType, Scheduler, StepResult, TimestepSpacing } from './schedulers/types';
export { alphasCumprod, makeBetas, BETA_SCHEDULES } from './schedulers/betas';
export { TIMESTEP_SPACINGS } from './schedulers/spacing';
export { PREDICTION_TYPES, SD15_BETAS } from './schedulers/common';
export { createDdim, DDIM_DEFAULTS } from './schedulers/ddim';
export type { DdimConfig } from './schedulers/ddim';
export { createDdpm, DDPM_DEFAULTS } from './schedulers/ddpm';
export type { DdpmConfig, DdpmVarianceType } from './schedulers/ddpm';
export { createEuler, EULER_DEFAULTS } from './schedulers/euler';
export type { EulerConfig } from './schedulers/euler';
export { createEulerAncestral, EULER_ANCESTRAL_DEFAULTS } from './schedulers/eulerAncestral';
export type { EulerAncestralConfig } from './schedulers/eulerAncestral';
export { createDpmSolverMultistep, DPM_SOLVER_MULTISTEP_DEFAULTS } from './schedulers/dpmSolverMultistep';
export type { DpmFinalSigmas, DpmSolverMultistepConfig, DpmSolverType } from './schedulers/dpmSolverMultistep';
export { createScheduler, samplerNames, SAMPLERS } from './schedulers/registry';
export type { SamplerEntry, SchedulerOverrides } from './schedulers/registry';
export type { Encoding, Tokenizer } from './text/types';
export { ClipBpeTokenizer } from './text/ClipBpeTokenizer';
export type { ClipTokenizerOptions } from './text/ClipBpeTokenizer';
export { WordTokenizer } from './text/WordTokenizer';
export type { WordTokenizerOptions } from './text/WordTokenizer';
export { expandConceptTokens, findTokenPositions, parseConceptTokens } from './text/prompt';
export type { ConceptSpec, ConceptTokenMatch } from './text/prompt';
export { MAX_HEADER_BYTES, readSafetensors, SAFETENSORS_DTYPES, tensorToFloat32, writeSafetensors } from './weights/safetensors';
export type { SafeTensor, SafetensorsDtype, SafetensorsFile, TensorArray } from './weights/safetensors';
export { decodePng, encodePng, encodePngAsync, MAX_PNG_PIXELS } from './image/png';
export type { DecodedPng, PixelImage } from './image/png';
export { formatInfotext, parseInfotext, quoteInfotextValue } from './image/infotext';
export type { GenerationParams, ParsedInfotext } from './image/infotext';
export { attentionHeatmap, colormapRgb, COLORMAPS, resizeBilinear } from './image/heatmap';
export type { Colormap, HeatmapOptions } from './image/heatmap';
