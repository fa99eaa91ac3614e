// What the studio's controls offer, as data: the one source for the UI's fields (src/ui/panels) and for the
// project-file schema (projectFile.ts), so an imported file can hold only what the UI could have made. Also the
// bounds on mask data, chosen so the heaviest accepted mask rasterises in bounded time (MAX_MASK_WORK).
// No behaviour beyond range data; no React.
import { isSamplerName, MAX_MASK_BLUR, MAX_MASKED_PADDING, SAMPLER_NAMES } from '../diffusion/index';
import { DEFAULT_BUDGET_BYTES } from '../train/index';

export type Range = { readonly min: number; readonly max: number; readonly step?: number; readonly integer?: boolean };

/** Generation: image side choices and field ranges (GenerationPanel). */
export const GENERATION_SIZES = [64, 128, 256, 384, 512, 640, 768] as const;
/** The samplers the panel offers and a project file may name: the registry's display names (one list). */
export { isSamplerName, SAMPLER_NAMES };
export const GENERATION_LIMITS = {
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  steps: { min: 1, max: 150, integer: true },
  guidance: { min: 1, max: 20, step: 0.5 },
  batch: { min: 1, max: 8, integer: true },
} as const satisfies Record<string, Range>;
/** Edit view (EditPanel): denoising strength and mask blur (px); the blur bound is the pipeline's own. */
export const EDIT_LIMITS = {
  strength: { min: 0, max: 1, step: 0.05 },
  maskBlur: { min: 0, max: MAX_MASK_BLUR, integer: true },
  /** "Only masked padding, pixels" (A1111's slider 0…256), the pipeline's own bound */
  maskedPadding: { min: 0, max: MAX_MASKED_PADDING, integer: true },
} as const satisfies Record<string, Range>;
/** LoRA and embedding list (NetworksPanel): a LoRA's strength (the range of A1111's Lora extension and the sd-webui
 *  additional-networks weight sliders), and how many files a list holds. */
export const NETWORK_LIMITS = {
  strength: { min: -2, max: 2, step: 0.05 },
  files: { min: 0, max: 32, integer: true },
} as const satisfies Record<string, Range>;
/** longest prompt kept (characters); CLIP reads 77 tokens, this only bounds the file */
export const MAX_PROMPT_LENGTH = 4000;

/** Training (TrainingPanel, TrainingSamples). */
export const TRAINING_LIMITS = {
  steps: { min: 1, max: 5000, integer: true },
  learningRate: { min: 1e-7, max: 1e-2, step: 1e-5 },
  batchSize: { min: 1, max: 8, integer: true },
  gradAccumulation: { min: 1, max: 16, integer: true },
  attentionLossWeight: { min: 0, max: 10, step: 0.01 },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  regularisationImages: { min: 0, max: 400, integer: true },
  kvLoraRank: { min: 1, max: 256, integer: true },
  /** GPU memory the training step may use (GB): the planner picks recomputation when the plain step does not fit */
  memoryBudgetGb: { min: 1, max: 192, integer: true },
} as const satisfies Record<string, Range>;
/** The memory plan's budget when the settings name none: the planner's own default, in GB. */
export const DEFAULT_MEMORY_BUDGET_GB = DEFAULT_BUDGET_BYTES / 2 ** 30;
export const SAMPLE_EVERY_LIMITS = { min: 0, max: 1000, integer: true } as const satisfies Range;

/** Mask data of one project (training-square px): what the editor can draw, with room to spare. */
export const MASK_LIMITS = {
  /** operations per concept layer (the editor keeps 100 undo steps; a long session commits more) */
  opsPerLayer: 2000,
  /** points in one stroke or polygon */
  pointsPerOp: 10_000,
  /** points in all layers together */
  pointsTotal: 50_000,
  /** largest side of a stored region's bitmap (the wand works at the decoded square, at most 512 px) */
  regionSide: 512,
  /** region runs in all layers together (a 512² region of 4-px checkers has ~66k; snapped regions have hundreds) */
  runsTotal: 2_000_000,
  /** largest soft-brush feather (editorSlice MAX_BRUSH_FEATHER) */
  feather: 64,
  /** largest stroke radius (the brush's own maximum, editorSlice MAX_BRUSH_RADIUS) */
  radius: 256,
  /** coordinates lie within this many px of the training square (which is at most MAX_IMAGE_SIDE px) */
  coordinate: 8192,
} as const;
