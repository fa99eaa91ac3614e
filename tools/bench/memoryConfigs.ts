// The training configurations `npm run bench:memory` measures: the tiny DisenDiff model and two larger small
// ones (bigger latents / batch, wider UNet), all with seeded random weights as initializers. Tool code only.
// Reference: test/train/tiny.ts (tiny config), src/onnx/models/configs.ts.
import { TINY_CLIP_TEXT, TINY_UNET } from '../../src/onnx/index';
import type { UNet2DConditionConfig } from '../../src/onnx/index';
import { buildTrainGraph, DISENDIFF_DEFAULTS } from '../../src/train/index';
import type { RecomputeGranularity, TrainGraph } from '../../src/train/index';

export type BenchConfig = { id: string; unet: UNet2DConditionConfig; latent: number; batch: number; seqLen: number };

const WIDE_UNET: UNet2DConditionConfig = { ...TINY_UNET, block_out_channels: [64, 128], attention_head_dim: 4, norm_num_groups: 16 };

export const BENCH_CONFIGS: BenchConfig[] = [
  { id: 'tiny-8px-b1', unet: TINY_UNET, latent: 8, batch: 1, seqLen: 12 },
  { id: 'tiny-16px-b2', unet: TINY_UNET, latent: 16, batch: 2, seqLen: 12 },
  { id: 'tiny-32px-b1', unet: TINY_UNET, latent: 32, batch: 1, seqLen: 12 },
  { id: 'wide-32px-b2', unet: WIDE_UNET, latent: 32, batch: 2, seqLen: 16 },
];

/** The config's training graph, optionally with activation recomputation (TrainGraphOptions.recompute). */
export function benchTrainGraph(c: BenchConfig, recompute?: RecomputeGranularity): TrainGraph {
  return buildTrainGraph({ unet: c.unet, text: TINY_CLIP_TEXT, concepts: 2, batch: c.batch, height: c.latent, width: c.latent, seqLen: c.seqLen, seed: 3, config: DISENDIFF_DEFAULTS, recompute });
}
