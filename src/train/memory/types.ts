// Data types of the memory planner: what one training step holds (breakdown), the strategies that lower it, and
// the plan shown before training starts. Pure data; shared by planMemory.ts, strategy.ts and profile.ts.
// Reference: src/train/memory/CONTEXT.md (planner output).

/** Bytes one training step holds, by kind. Persistent parts live across steps; `activations` only during run(). */
export type MemoryBreakdown = {
  /** frozen model weights (UNet, text encoder) and graph constants, resident on the device */
  frozenWeights: number;
  /** trainable parameters (K/V weights, modifier rows) */
  trainable: number;
  /** optimizer state: AdamW first and second moments (m, v) */
  optimizerState: number;
  /** gradient accumulators (only with gradient accumulation > 1; otherwise gradients are transient) */
  gradientAccumulators: number;
  /** one micro-batch of data (latents, noise, ids, masks) and hyper-parameters */
  data: number;
  /** peak of live intermediate tensors (activations, gradients, update temporaries) in the step */
  activations: number;
};

/**
 * How the step is run. 'full': the fused graph as the engine builds it. 'recompute': the same step built with
 * `recompute: 'layers'` (each UNet layer's forward recomputed in its backward; the job runs it). 'per-block'
 * (modelled only): one session per UNet layer, activations passed as GPU buffers.
 */
export type StrategyKind = 'full' | 'recompute' | 'per-block';

/** One evaluated way to run the step. */
export type Candidate = {
  kind: StrategyKind;
  /** training resolution in pixels (latents are resolution / 8) */
  resolution: number;
  batch: number;
  predictedPeakBytes: number;
  breakdown: MemoryBreakdown;
  fits: boolean;
  /** false where the engine cannot run this yet (the per-block session split is only modelled) */
  isImplemented: boolean;
  /** node running when the peak is reached (debug aid) */
  peakNode: string;
};

/** The planner's answer: what the UI shows before training starts. */
export type MemoryPlan = {
  predictedPeakBytes: number;
  breakdown: MemoryBreakdown;
  /** the chosen candidate (the first that fits in preference order, else the smallest) */
  strategy: Candidate;
  fits: boolean;
  budgetBytes: number;
  /** every candidate evaluated, in preference order */
  candidates: Candidate[];
  /** plain-language summary: what fits, what was changed, what is only modelled */
  explanation: string;
};

/** Default budget: an 8 GB consumer GPU (8 GiB). */
export const DEFAULT_BUDGET_BYTES = 8 * 2 ** 30;
/** Resolutions tried when the requested one does not fit, highest first (SD 1.5 trains at 512). */
export const RESOLUTION_LADDER: readonly number[] = [512, 448, 384, 320, 256];
