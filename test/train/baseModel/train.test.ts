// Training reproducibility of the default model (issue 5): short seeded runs of both stages of
// `npm run train:base` on onnxruntime-node, asserting that the loss falls; plus the word vocab and folder layout.
import { describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../src/runtime/node';
import { baseModelFolder, baseParamTables } from '../../../src/train/baseModel/folder';
import { BASE_TEXT, baseVocab } from '../../../src/train/baseModel/recipe';
import { baseTokenizer } from '../../../src/train/baseModel/data';
import { trainDiffusionStage, trainVaeStage } from '../../../src/train/baseModel/stages';
import type { Params } from '../../../src/train/baseModel/stages';
import { captionOf, sampleScene } from '../../../src/world/index';
import { Rng } from '../../../src/lib/random';

const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

describe('train:base', () => {
  it('tokenizes every world caption without unknown words', () => {
    const tok = baseTokenizer();
    const rng = new Rng(3);
    for (let i = 0; i < 50; i++) expect(tok.encode(captionOf(sampleScene(rng))).warnings).toEqual([]);
    expect(BASE_TEXT.vocab_size).toBe(baseVocab().length);
  });

  it('stage A (VAE) loss falls over 20 seeded steps', async () => {
    const losses: number[] = [];
    let vae: Params = new Map();
    vae = await trainVaeStage({ runner: createNodeRunner({ threads: 2 }), totalSteps: 20, seed: 5, hyper: { batch: 2 }, onStep: (_, l) => losses.push(l) });
    expect(losses).toHaveLength(20);
    expect(mean(losses.slice(-5))).toBeLessThan(0.7 * mean(losses.slice(0, 5)));
    expect(vae.size).toBe(baseParamTables().vae.length);
  }, 60_000);

  it('stage B (text encoder + UNet) ε-loss falls over 20 seeded steps and exports a folder', async () => {
    const per = 4 * 16 * 16;
    const rng = new Rng(9);
    const pool = { latents: rng.normalArray(8 * per), captions: Array.from({ length: 8 }, () => captionOf(sampleScene(rng))), count: 8 };
    const losses: number[] = [];
    const p = await trainDiffusionStage({ runner: createNodeRunner({ threads: 2 }), totalSteps: 20, seed: 5, hyper: { batch: 2 }, pool, scalingFactor: 1, onStep: (_, l) => losses.push(l) });
    expect(mean(losses.slice(-5))).toBeLessThan(0.8 * mean(losses.slice(0, 5)));
    const t = baseParamTables();
    const vae = new Map(t.vae.map((e) => [e.name, new Float32Array(e.shape.reduce((x, d) => x * d, 1))]));
    const files = baseModelFolder(vae, p, 1.5);
    expect([...files.keys()].sort()).toContain('tokenizer/vocab.json');
    expect(JSON.parse(new TextDecoder().decode(files.get('vae/config.json'))).scaling_factor).toBe(1.5);
  }, 60_000);
});
