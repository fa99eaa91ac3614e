// Training reproducibility of the default model's recipe (issue 5): a micro run of each stage (A, A′, B) (batch 2, a
// fixed seeded batch, 20 AdamW steps each, real BASE_* configs) on onnxruntime-node must make the loss fall.
// Oracle: the loss of the first step.
import { describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../src/runtime/node';
import type { HostTensor } from '../../../src/runtime/index';
import { BASE_LATENT, BASE_SEQ_LEN, BASE_VAE, baseVocab } from '../../../src/train/base/config';
import { batchRng, baseTokenizer, captionIds, sceneBatch } from '../../../src/train/base/data';
import { buildDecoderTrainGraph, buildDenoiserTrainGraph, buildVaeTrainGraph } from '../../../src/train/base/graphs';
import type { BaseTrainGraph } from '../../../src/train/base/graphs';
import { TrainingSession } from '../../../src/train/engine/trainStep';
import type { BatchFeeds } from '../../../src/train/engine/types';

const B = 2;
const C = BASE_VAE.latent_channels;
const f32 = (dims: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', dims, data });

async function losses(graph: BaseTrainGraph, feeds: BatchFeeds, steps: number): Promise<number[]> {
  const session = await TrainingSession.create({
    runner: createNodeRunner({ threads: 2 }), backward: graph.backward,
    trainable: Object.fromEntries(graph.params.map((p) => [p.graphName, undefined])), optimizer: { kind: 'adamw', lr: 2e-3, weightDecay: 0.01, maxGradNorm: 1 },
  });
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await session.step(feeds)).loss);
  await session.dispose();
  return out;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('train:base micro recipe', () => {
  it('the word vocabulary covers every caption word and the tokenizer frames 32 ids', () => {
    const tok = baseTokenizer();
    const { captions } = sceneBatch(batchRng(0, 0, 0), 8);
    for (const c of captions) expect(tok.encode(c).warnings).toEqual([]);
    expect(captionIds(tok, captions, batchRng(0, 1, 0), 0).length).toBe(8 * BASE_SEQ_LEN);
    expect(new Set(baseVocab()).size).toBe(baseVocab().length);
  });

  it('stage B draws object counts from its weights (all single, all triple, and the seeded mix)', () => {
    const objects = (c: string): number => c.split(/ and |, /).length;
    expect(sceneBatch(batchRng(0, 1, 0), 12, [1, 0, 0]).captions.map(objects)).toEqual(Array(12).fill(1));
    expect(sceneBatch(batchRng(0, 1, 0), 12, [0, 0, 1]).captions.map(objects)).toEqual(Array(12).fill(3));
    const counts = [0, 0, 0, 0];
    for (const c of sceneBatch(batchRng(0, 1, 1), 200, [0.5, 0.3, 0.2]).captions) counts[objects(c)]! += 1;
    expect(counts[1]).toBeGreaterThan(80);
    expect(counts[1]).toBeLessThan(120);
    expect(counts[3]).toBeGreaterThan(20);
    expect(counts[3]).toBeLessThan(60);
  });

  it('stage A (VAE): reconstruction loss falls over 20 steps on a fixed batch', async () => {
    const rng = batchRng(7, 0, 0);
    const feeds = { sample: f32([B, 3, 64, 64], sceneBatch(rng, B).pixels), noise: f32([B, C, BASE_LATENT, BASE_LATENT], rng.normalArray(B * C * BASE_LATENT * BASE_LATENT, 1)) };
    const l = await losses(buildVaeTrainGraph(B, { seed: 7 }), feeds, 20);
    expect(l.every(Number.isFinite)).toBe(true);
    expect(mean(l.slice(-5))).toBeLessThan(0.6 * (l[0] as number));
  }, 60_000);

  it("stage A′ (decoder alone on fixed latents): reconstruction loss falls over 20 steps", async () => {
    const rng = batchRng(7, 3, 0);
    const feeds = { latent_sample: f32([B, C, BASE_LATENT, BASE_LATENT], rng.normalArray(B * C * BASE_LATENT * BASE_LATENT, 1)), target: f32([B, 3, 64, 64], sceneBatch(rng, B).pixels) };
    const graph = buildDecoderTrainGraph(B, { seed: 7 });
    expect(graph.params.every((p) => p.part === 'vae' && !p.name.startsWith('encoder.'))).toBe(true);
    const l = await losses(graph, feeds, 20);
    expect(l.every(Number.isFinite)).toBe(true);
    expect(mean(l.slice(-5))).toBeLessThan(0.6 * (l[0] as number));
  }, 60_000);

  it('stage B (text encoder + UNet): ε-MSE falls over 20 steps on a fixed batch', async () => {
    const rng = batchRng(7, 1, 0);
    const n = B * C * BASE_LATENT * BASE_LATENT;
    const lat = [B, C, BASE_LATENT, BASE_LATENT];
    const { captions } = sceneBatch(rng, B, [0.5, 0.3, 0.2]);
    const feeds: BatchFeeds = {
      latents: f32(lat, rng.normalArray(n, 1)), noise: f32(lat, rng.normalArray(n, 1)), timestep: f32([B], Float32Array.of(100, 700)),
      input_ids: { dtype: 'int32', dims: [B, BASE_SEQ_LEN], data: captionIds(baseTokenizer(), captions, rng, 0) },
    };
    const l = await losses(buildDenoiserTrainGraph(B, { seed: 7 }), feeds, 20);
    expect(l.every(Number.isFinite)).toBe(true);
    expect(mean(l.slice(-5))).toBeLessThan(0.7 * (l[0] as number));
  }, 60_000);
});
