// Training reproducibility of the default model's recipe (public/models/default): a micro run of each stage (A, A′, B) (batch 2, a
// fixed seeded batch, 20 AdamW steps each, real BASE_* configs) on onnxruntime-node must make the loss fall.
// Oracle: the loss of the first step.
import { describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../src/runtime/node';
import type { HostTensor } from '../../../src/runtime/index';
import { BASE_LATENT, BASE_SEQ_LEN, BASE_VAE, baseVocab } from '../../../src/train/base/config';
import { batchRng, baseTokenizer, captionIds, objectMap, sceneBatch } from '../../../src/train/base/data';
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
  }, 900_000);

  it("stage A′ (decoder alone on fixed latents): reconstruction loss falls over 20 steps", async () => {
    const rng = batchRng(7, 3, 0);
    const feeds = { latent_sample: f32([B, C, BASE_LATENT, BASE_LATENT], rng.normalArray(B * C * BASE_LATENT * BASE_LATENT, 1)), target: f32([B, 3, 64, 64], sceneBatch(rng, B).pixels) };
    const graph = buildDecoderTrainGraph(B, { seed: 7 });
    expect(graph.params.every((p) => p.part === 'vae' && !p.name.startsWith('encoder.'))).toBe(true);
    const l = await losses(graph, feeds, 20);
    expect(l.every(Number.isFinite)).toBe(true);
    expect(mean(l.slice(-5))).toBeLessThan(0.6 * (l[0] as number));
  }, 900_000);

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
  }, 900_000);

  it('objectMap: latent cells an object covers, dilated by one cell; 0 far from it', () => {
    const mask = new Uint8Array(64 * 64);
    for (let y = 20; y < 28; y++) for (let x = 32; x < 40; x++) mask[y * 64 + x] = 255; // cells (5..6, 8..9)
    mask[0] = 128; // a half-covered pixel in cell (0, 0)
    const m = objectMap([mask], 64, 16);
    const at = (cy: number, cx: number): number => m[cy * 16 + cx] as number;
    expect(at(5, 8)).toBe(1);
    expect(at(4, 7)).toBe(1); // dilation
    expect(at(7, 10)).toBe(1);
    expect(at(3, 8)).toBe(0);
    expect(at(5, 11)).toBe(0);
    expect(at(1, 1)).toBeCloseTo(128 / 255, 6);
    expect(at(2, 2)).toBe(0);
    const { objects } = sceneBatch(batchRng(0, 1, 5), 4, [0.5, 0.3, 0.2]);
    expect(objects.length).toBe(4 * 256);
    for (let b = 0; b < 4; b++) {
      const share = objects.slice(b * 256, (b + 1) * 256).reduce((a, v) => a + v, 0) / 256;
      expect(share).toBeGreaterThan(0.05);
      expect(share).toBeLessThan(0.6);
    }
  });

  it('stage B with object weights: loss_weight input, loss falls; weight 1 everywhere equals the plain graph', async () => {
    const rng = batchRng(7, 1, 0);
    const n = B * C * BASE_LATENT * BASE_LATENT;
    const lat = [B, C, BASE_LATENT, BASE_LATENT];
    const { captions, objects } = sceneBatch(rng, B, [0.5, 0.3, 0.2]);
    const base: BatchFeeds = {
      latents: f32(lat, rng.normalArray(n, 1)), noise: f32(lat, rng.normalArray(n, 1)), timestep: f32([B], Float32Array.of(100, 700)),
      input_ids: { dtype: 'int32', dims: [B, BASE_SEQ_LEN], data: captionIds(baseTokenizer(), captions, rng, 0) },
    };
    const wdims = [B, 1, BASE_LATENT, BASE_LATENT];
    const ones = await losses(buildDenoiserTrainGraph(B, { seed: 7 }, true), { ...base, loss_weight: f32(wdims, new Float32Array(B * 256).fill(1)) }, 1);
    const plain = await losses(buildDenoiserTrainGraph(B, { seed: 7 }), base, 1);
    expect(ones[0]).toBeCloseTo(plain[0] as number, 5);
    const l = await losses(buildDenoiserTrainGraph(B, { seed: 7 }, true), { ...base, loss_weight: f32(wdims, objects.map((m) => 1 + 3 * m)) }, 20);
    expect(l[0]).toBeGreaterThan(plain[0] as number);
    expect(mean(l.slice(-5))).toBeLessThan(0.7 * (l[0] as number));
  }, 900_000);
});

describe('train:ground micro recipe (stage C)', () => {
  it('the grounding term falls over 20 steps on a fixed batch while the total stays finite', async () => {
    const { groundingFeeds, GROUND_SLOTS } = await import('../../../src/train/base/grounding');
    const { GROUND_SIDES } = await import('../../../src/train/base/graphs');
    const rng = batchRng(7, 5, 0);
    const n = B * C * BASE_LATENT * BASE_LATENT;
    const lat = [B, C, BASE_LATENT, BASE_LATENT];
    const { captions, masks } = sceneBatch(rng, B, [0, 1, 0]);
    const ids = captionIds(baseTokenizer(), captions, rng, 0);
    const vocab = baseVocab();
    const words = [0, 1].map((b) => Array.from(ids.subarray(b * BASE_SEQ_LEN, (b + 1) * BASE_SEQ_LEN), (id) => vocab[id] ?? ''));
    const g = groundingFeeds(words, masks, 64, GROUND_SIDES, BASE_SEQ_LEN);
    expect(g.tokenWeight.reduce((a, v) => a + v, 0)).toBeGreaterThanOrEqual(6); // two objects × size, colour, shape per image
    const feeds: BatchFeeds = {
      latents: f32(lat, rng.normalArray(n, 1)), noise: f32(lat, rng.normalArray(n, 1)), timestep: f32([B], Float32Array.of(100, 700)),
      input_ids: { dtype: 'int32', dims: [B, BASE_SEQ_LEN], data: ids }, ground_select: f32([B, BASE_SEQ_LEN, GROUND_SLOTS], g.select),
      ...Object.fromEntries(GROUND_SIDES.map((s) => [`ground_mask_${s}`, f32([B, GROUND_SLOTS, s * s], g.masks.get(s) as Float32Array)])),
      ground_token_weight: f32([B, GROUND_SLOTS], g.tokenWeight), ground_pixel_weight: f32([B, GROUND_SLOTS], g.pixelWeight),
    };
    const graph = buildDenoiserTrainGraph(B, { seed: 7 }, false, { token: 1, pixel: 0.1 });
    const session = await TrainingSession.create({
      runner: createNodeRunner({ threads: 2 }), backward: graph.backward,
      trainable: Object.fromEntries(graph.params.map((p) => [p.graphName, undefined])), optimizer: { kind: 'adamw', lr: 2e-3, weightDecay: 0.01, maxGradNorm: 1 },
    });
    const token: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await session.step(feeds);
      expect(Number.isFinite(r.loss)).toBe(true);
      token.push(r.terms.loss_token as number);
    }
    await session.dispose();
    expect(mean(token.slice(-5))).toBeLessThan(0.8 * (token[0] as number));
  });
});
