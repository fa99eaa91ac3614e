// Training presets: data, each value with its source. No behaviour.
// Reference: disendiff.md §2.8 (optimiser and schedule of the released DisenDiff code).
import type { TrainSettings } from './ports';

export type TrainPreset = { readonly id: string; readonly label: string; readonly settings: TrainSettings };

/** DisenDiff as released: 250 steps, lr 8e-5, micro-batch 2 × accumulation 4, IoU weight 0.01, seed 1. */
const DISENDIFF: TrainSettings = { steps: 250, learningRate: 8e-5, batchSize: 2, gradAccumulation: 4, attentionLossWeight: 0.01, seed: 1 };

export const TRAIN_PRESETS: readonly TrainPreset[] = [
  { id: 'disendiff', label: 'DisenDiff paper (250 steps)', settings: DISENDIFF },
  { id: 'quick', label: 'Quick look (60 steps)', settings: { ...DISENDIFF, steps: 60, gradAccumulation: 1 } },
  { id: 'smoke', label: 'Smoke test (2 steps)', settings: { ...DISENDIFF, steps: 2, batchSize: 1, gradAccumulation: 1 } },
];

export function findPreset(id: string): TrainPreset | undefined {
  return TRAIN_PRESETS.find((p) => p.id === id);
}
