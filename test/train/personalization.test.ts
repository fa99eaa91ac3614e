// A short DisenDiff personalization run on the tiny configs in onnxruntime-node through TrainingSession:
// one two-object world scene, concepts <cat1> cat / <dog1> dog, mask guidance on, union-sampled prompts
// cycling over a fixed set of (prompt, t, ε) micro-batches so that the total loss must fall.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/random';
import { RandomWeights, TINY_CLIP_TEXT } from '../../src/onnx/index';
import type { HostTensor } from '../../src/runtime/types';
import { DISENDIFF_DEFAULTS, initialModifierRows, microBatchFeeds, TrainingSession } from '../../src/train/index';
import { nodeOrt } from '../helpers/ort';
import { tinyConcepts, tinyTrainGraph, worldScene } from './tiny';

const PROMPTS = ['photo of a <cat1> cat and <dog1> dog', 'photo of a <cat1> cat', 'photo of a <dog1> dog'];

describe('when personalizing the tiny model on one world scene with two masked concepts', () => {
  it('brings the total loss of each of the 3 cycled micro-batches below 70% of its first value in 30 AdamW steps', async () => {
    const tg = tinyTrainGraph(DISENDIFF_DEFAULTS, 2);
    const { tok, concepts } = tinyConcepts();
    const scene = worldScene(5);
    const rng = new Rng(7);
    const batches = [0, 1, 2].map((k) => microBatchFeeds(tg, tok, concepts, [0, 1].map((j) => ({
      prompt: PROMPTS[(k + j) % 3] as string, latents: scene.latents, masks: scene.masks, noise: rng.normalArray(256), timestep: rng.int(0, 999),
    })), [4, 8, 8]));
    const weights = new RandomWeights(3);
    const table = weights.get('text_model.embeddings.token_embedding.weight', [TINY_CLIP_TEXT.vocab_size, 32]);
    const trainable: Record<string, HostTensor> = { extra_token_embeds: { dtype: 'float32', dims: [2, 32], data: initialModifierRows(concepts, table, 32, { kind: 'class-word' }) } };
    for (const name of tg.trainable.slice(1)) {
      const dims = tg.backward.graph.inputs.find((v) => v.name === name)?.shape as number[];
      trainable[name] = { dtype: 'float32', dims, data: weights.get(name, dims).slice() };
    }
    const session = await TrainingSession.create({ runner: nodeOrt(), backward: tg.backward, trainable, optimizer: { kind: 'adamw', lr: 1e-2, weightDecay: DISENDIFF_DEFAULTS.weightDecay } });
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const r = await session.step(batches[step % 3] as (typeof batches)[number]);
      expect(r.skipped).toBe(false);
      losses.push(r.loss);
    }
    await session.dispose();
    for (let k = 0; k < 3; k++) expect(losses[27 + k], `batch ${k}: ${losses[k]} → ${losses[27 + k]}`).toBeLessThan(0.7 * (losses[k] as number));
  });
});
