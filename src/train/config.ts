// DisenDiff training defaults, each with its source (docs/disendiff.md §2.4–§2.8), plus the switches of the
// mask-guidance extension (docs/disendiff.md §10, Break-A-Scene §5). Pure data; never reads files or the clock.
// Deviations from the released code are marked "deviation" next to the field.
import type { BetaConfig } from '../diffusion/index';
import { SD15_BETAS } from '../diffusion/index';
import type { RecomputeGranularity } from './graphs/buildTrainGraph';

/** Which loss terms the training graph contains. Every term can be switched off (docs/disendiff.md §10). */
export type LossTerms = {
  /** L_bind = 1 − softIoU(sg[C_i], M_i) per concept (paper Eq. 3; `calculate_IoU`) */
  bind: boolean;
  /** L_s&s = mean pairwise softIoU(C_i, C_j) (paper Eq. 5; `IoU_between_subject: True`) */
  separate: boolean;
  /** square the class maps before bind and s&s (`self_filter: True`, docs/disendiff.md §2.6 step 4) */
  suppression: boolean;
  /** square them twice (`twice_filter: True`; off as released, the paper's Fig. 6b ablation) */
  twiceSquaring?: boolean;
  /** 3×3 reflect-padded Gaussian blur of every map (`gaussian: True`, §2.6 step 3) */
  blur: boolean;
  /** restrict L_base to the mask input (DisenDiff's augmentation mask, or the union of user masks) */
  maskedBase: boolean;
  /** Break-A-Scene attention-to-mask MSE per concept (beyond DisenDiff; §5 "Cross-attention loss") */
  maskAttention: boolean;
};

/** Rank and α of the K/V LoRA option (DisenDiffConfig.kvLora). */
export type KvLoraConfig = { rank: number; alpha?: number };

/** The studio's and CLI's rank when the K/V LoRA option is switched on without a rank. */
export const KV_LORA_DEFAULT_RANK = 16;

export type DisenDiffConfig = {
  /** AdamW lr 8e-5 = 1e-5 × batch 2 × accum 4 (§2.8, `train.py` lr scaling; paper says 8e-5) */
  learningRate: number;
  /** AdamW weight decay 0.01 (§2.8, torch AdamW default used by `configure_optimizers`) */
  weightDecay: number;
  /** micro-batch 2 (§2.8, `configs/full.yaml`) */
  batchSize: number;
  /** gradient accumulation 4 → effective batch 8 (§2.8, `run.sh --accumulate_grad_batches 4`) */
  gradAccumulation: number;
  /** optimizer steps for SD 1.5: 250 (§2.8, `max_steps: 250`) */
  steps: number;
  /** λ on (Σ L_bind + L_s&s): 0.01 (`IoU_alpha: 0.01`; deviation from paper Eq. 6's implicit 1, §2.7) */
  attentionLossWeight: number;
  /** λ_attn of the mask-attention term: 0.01 (Break-A-Scene `train.py`, §5) */
  maskAttentionWeight: number;
  /** Gaussian σ 0.5 with A&E's exponent exp(−((x−μ)/(2σ))²), effective kernel [0.2119, 0.5761, 0.2119] (§2.6) */
  gaussianSigma: number;
  /** blur kernel size 3 (§2.6, `GaussianSmoothing(kernel_size=3)`) */
  gaussianKernelSize: number;
  /** min–max denominator epsilon 1e-8 (§2.6 step 2, `process_output`) */
  minMaxEps: number;
  /** soft-IoU smoothing s = 1 in numerator and denominator (§2.7, `calculate_IoU`) */
  iouSmooth: number;
  /** DDPM schedule of the model: SD 1.x scaled-linear 0.00085→0.012, T = 1000 (§2.4) */
  betas: BetaConfig;
  /** training seed 1 (§2.8, `run.sh`) */
  seed: number;
  /** union sampling of concept subsets in the prompts (Break-A-Scene §5; on when masks exist) */
  unionSampling: boolean;
  /** with union sampling: erase the left-out concepts from the view and train their region as background
   *  (data/isolate.ts; beyond Break-A-Scene, whose masked loss leaves that region unsupervised). Off here (SD 1.5:
   *  not measured, no weights to measure it on); on for the default model (DEFAULT_MODEL_PERSONALIZATION) */
  subsetIsolation: boolean;
  /** train with the user's masks at all. false = the released method: mask channels of the target are dropped, so
   *  no union sampling, no isolation, no mask-restricted loss (only DisenDiff's own augmentation mask, §2.3) and no
   *  attention-to-mask term, whatever the other switches say */
  useMasks: boolean;
  /** which cross-attention layers feed the maps: the 16×16 ones as released ('second-lowest', src/train/graphs/layers.ts)
   *  or every layer, each resolution's mean map resampled to that resolution ('all-scales', the paper's Fig. 6b
   *  ablation "average of all scales"; default 'second-lowest') */
  mapLayers?: 'second-lowest' | 'all-scales';
  /** opt-in diagnostic, not the released method: keep to_k of the layers that feed the maps frozen, so the
   *  calibration can move a map only through the modifier rows (and the features below), never by re-aiming the
   *  layer's keys (docs/calibration.md "Frozen map keys"). Default false (released: every attn2 to_k/to_v trains). */
  frozenMapKeys?: boolean;
  /** engine setting, not part of the method: recompute each UNet layer's forward in the backward ('layers',
   *  bit-identical gradients, lower activation peak; docs/memory.md) or each UNet block's ('blocks'). Default:
   *  none (every activation kept). The studio sets it from the memory plan (train/memory planRecompute). */
  recompute?: RecomputeGranularity;
  /** opt-in, not the released method: learn each attn2 to_k/to_v update as rank-r LoRA factors, W = W0 + (α/r)·up·down
   *  with W0 frozen (Hu et al. 2021, LoRA, eq. 3; src/train/graphs/kvLora.ts, docs/lora-training.md). α defaults to
   *  r (scale 1). Default off (released DisenDiff trains the full K/V matrices, docs/disendiff.md §2.9). */
  kvLora?: KvLoraConfig;
  terms: LossTerms;
};

/** How the modifier rows start: the released rare CLIP rows (`'rare'`, DISENDIFF_RARE_IDS: needs a CLIP vocabulary),
 *  the class word's row, or the model's default (the caption style's slot words, e.g. the world's colour words, else
 *  the class word: src/train/loop/job.ts resolveRowInit). */
export type ModifierInit = 'rare' | 'class-word' | 'model-default';

/** Plain DisenDiff as released (no masks): bind + s&s + suppression + blur. */
export const DISENDIFF_TERMS: LossTerms = { bind: true, separate: true, suppression: true, blur: true, maskedBase: false, maskAttention: false };

/** DisenDiff plus mask guidance (the studio default when every concept has a mask). */
export const MASK_GUIDED_TERMS: LossTerms = { ...DISENDIFF_TERMS, maskedBase: true, maskAttention: true };

/** Custom-Diffusion-style baseline: K/V + modifier rows, plain ε-MSE, no calibration terms. */
export const CUSTOM_DIFFUSION_TERMS: LossTerms = { bind: false, separate: false, suppression: false, blur: false, maskedBase: false, maskAttention: false };

/** The released DisenDiff settings for SD 1.5 (docs/disendiff.md §2.8), with mask guidance on. */
export const DISENDIFF_DEFAULTS: DisenDiffConfig = {
  learningRate: 8e-5,
  weightDecay: 0.01,
  batchSize: 2,
  gradAccumulation: 4,
  steps: 250,
  attentionLossWeight: 0.01,
  maskAttentionWeight: 0.01,
  gaussianSigma: 0.5,
  gaussianKernelSize: 3,
  minMaxEps: 1e-8,
  iouSmooth: 1,
  betas: SD15_BETAS,
  seed: 1,
  unionSampling: true,
  subsetIsolation: false,
  useMasks: true,
  terms: MASK_GUIDED_TERMS,
};

/** DisenDiff exactly as released (the "DisenDiff paper" preset): masks ignored even when the user drew them,
 *  calibration terms on, released loss scale (losses/diffusionMse.ts); modifiers from the rare tokens (ModifierInit). */
export const DISENDIFF_RELEASED: DisenDiffConfig = { ...DISENDIFF_DEFAULTS, unionSampling: false, subsetIsolation: false, useMasks: false, terms: DISENDIFF_TERMS };

/**
 * The settings documented for the embedded default model (public/models/default, 64 px, 16×16 latents; the
 * documented default for the small model): 250 steps at lr 1e-3 (batch 2 × accumulation 4), the
 * released λ 0.01, subset isolation on (data/isolate.ts), with captions in the model's own grammar
 * (data/captions.ts WORLD_CAPTIONS, picked by captionStyleFor). Measured with bench:disentangle on 8 held-out
 * scenes, 4 images per prompt, seeds 1–5 pooled by bench:disentangle:compare (docs/benchmarks/
 * disentangle-isolation-2026-11-28.json): DisenDiff + masks + isolation against the baseline, image alignment 0.529
 * vs 0.367 (Δ 95% interval [0.097, 0.227]), attribute leakage 0.084 vs 0.175 ([−0.178, −0.013]; lower with each of
 * the 5 seeds), pixel leakage 0.006 vs 0.015 (seeds 1, 4, 5; [−0.019, −0.001]), similarity leakage 0.024 vs 0.021
 * (no clear difference), combined-prompt alignment 0.331 vs 0.382 (no clear difference). Without isolation (seeds
 * 1–4) attribute leakage was 0.148, not clearly lower than the baseline; isolation lowers pixel leakage against it
 * (0.007 vs 0.029) at a cost in combined-prompt alignment (0.334 vs 0.399). λ_attn 0.1 (seed 2) leaked more (0.125 vs
 * 0.078), so the attention-to-mask weight stays Break-A-Scene's 0.01. Calibration off (isolated-only, seeds 2–3)
 * moved no figure by more than 0.023.
 * Steps and lr were picked on a 2-scene probe (scenes 0–1, baseline: 60 steps at 5e-4 left most single-concept
 * images un-personalized; at 250 steps, before the colour-row init, lr 3e-3 gave image alignment 0.243, 1e-3 0.372).
 * Seed 1 only: λ 0.1 helped plain DisenDiff (attribute 0.148 vs 0.195,
 * image alignment 0.361 vs 0.342, but combined-prompt alignment 0.287 vs 0.371) and hurt DisenDiff + masks
 * (0.133 vs 0.055), so the default stays 0.01 (the studio trains with masks when every concept has one).
 * History: 60 steps / 5e-4 with DisenDiff's "photo of a …" captions, which this model read as <unk> words; before
 * 2026-11-28 without isolation.
 */
export const DEFAULT_MODEL_PERSONALIZATION = { steps: 250, learningRate: 1e-3, attentionLossWeight: 0.01, subsetIsolation: true } as const;

/** Mask guidance (docs/disendiff.md §10) is on by default exactly when every concept has a mask. */
export function defaultTerms(hasMasks: boolean): LossTerms {
  return hasMasks ? MASK_GUIDED_TERMS : DISENDIFF_TERMS;
}
