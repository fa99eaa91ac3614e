// Training presets: data, each value with its source. No behaviour.
// Reference: docs/disendiff.md §2.8 (optimiser and schedule of the released DisenDiff code); the default model's own
// settings are src/train/config.ts DEFAULT_MODEL_PERSONALIZATION.
import { DEFAULT_MODEL_PERSONALIZATION, DISENDIFF_RELEASED } from '../train/index';
import type { TrainSettings } from './ports';

/** The rank the studio's "K/V as LoRA" option starts at (src/train/config.ts). */
export { KV_LORA_DEFAULT_RANK } from '../train/index';

export type TrainPreset = { readonly id: string; readonly label: string; readonly settings: TrainSettings };

/** DisenDiff as released (src/train/config.ts DISENDIFF_RELEASED): 250 steps, lr 8e-5, micro-batch 2 × accumulation
 *  4, IoU weight 0.01, seed 1, modifiers from the rare tokens, and no mask extras even when masks exist. */
const DISENDIFF: TrainSettings = {
  steps: DISENDIFF_RELEASED.steps, learningRate: DISENDIFF_RELEASED.learningRate, batchSize: DISENDIFF_RELEASED.batchSize, gradAccumulation: DISENDIFF_RELEASED.gradAccumulation,
  attentionLossWeight: DISENDIFF_RELEASED.attentionLossWeight, seed: DISENDIFF_RELEASED.seed,
  maskGuidance: DISENDIFF_RELEASED.useMasks, unionSampling: DISENDIFF_RELEASED.unionSampling, isolateConcepts: DISENDIFF_RELEASED.subsetIsolation, modifierInit: 'rare',
};

/** The embedded default model's documented settings (src/train/config.ts DEFAULT_MODEL_PERSONALIZATION: 250 steps,
 *  lr 1e-3, λ 0.01, measured by bench:disentangle), at DisenDiff's batch 2 × accumulation 4. The studio starts on
 *  that model. */
const { subsetIsolation, ...defaultModel } = DEFAULT_MODEL_PERSONALIZATION;
const DEFAULT_MODEL: TrainSettings = { ...DISENDIFF, ...defaultModel, maskGuidance: true, unionSampling: true, isolateConcepts: subsetIsolation, modifierInit: 'model-default' };

/** The released numbers with mask guidance and union sampling (no isolation), for the short presets. */
const MASKED: TrainSettings = { ...DISENDIFF, maskGuidance: true, unionSampling: true, modifierInit: 'model-default' };

export const TRAIN_PRESETS: readonly TrainPreset[] = [
  { id: 'default-model', label: `Default model (${DEFAULT_MODEL.steps} steps, lr ${DEFAULT_MODEL.learningRate})`, settings: DEFAULT_MODEL },
  { id: 'disendiff', label: 'DisenDiff paper, as released (250 steps, no mask extras)', settings: DISENDIFF },
  { id: 'quick', label: 'Quick look (60 steps)', settings: { ...MASKED, steps: 60, gradAccumulation: 1 } },
  { id: 'smoke', label: 'Smoke test (2 steps)', settings: { ...MASKED, steps: 2, batchSize: 1, gradAccumulation: 1 } },
];

export function findPreset(id: string): TrainPreset | undefined {
  return TRAIN_PRESETS.find((p) => p.id === id);
}
