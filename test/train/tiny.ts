// Shared tiny fixtures of the DisenDiff tests: a 100-word tokenizer matching TINY_CLIP_TEXT's vocab_size,
// two concepts, the tiny training graph, a world scene as 4×8×8 "latents" with per-object masks, and the graph's
// feeds for samples of that scene.
// The latents are a stand-in for the VAE encoding (RGB + luminance, average-pooled 64→8), not a VAE output.
import { WordTokenizer } from '../../src/diffusion/index';
import { Rng } from '../../src/lib/random';
import { RandomWeights, TINY_CLIP_TEXT, TINY_UNET } from '../../src/onnx/index';
import type { HostTensor, Session } from '../../src/runtime/types';
import { buildTrainGraph, initialModifierRows, microBatchFeeds, registerConcepts } from '../../src/train/index';
import type { Concept, DisenDiffConfig, TrainGraph } from '../../src/train/index';
import { renderScene, sampleScene } from '../../src/world/index';

export const SEQ = 12;
const WORDS = ['photo', 'of', 'a', 'and', 'cat', 'dog', 'circle', 'square', 'star', 'heart', 'red', 'blue'];

export function tinyTokenizer(): WordTokenizer {
  const vocab = ['<|startoftext|>', '<|endoftext|>', '<unk>', ...WORDS];
  while (vocab.length < TINY_CLIP_TEXT.vocab_size) vocab.push(`filler${vocab.length}`);
  return new WordTokenizer(vocab, { maxLength: SEQ });
}

export function tinyConcepts(tok = tinyTokenizer()): { tok: WordTokenizer; concepts: Concept[] } {
  const concepts = registerConcepts(tok, [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }], TINY_CLIP_TEXT.vocab_size);
  return { tok, concepts };
}

export function tinyTrainGraph(config: TrainGraphConfig, batch = 1, exposeMaps = false, detachSosKv = true): TrainGraph {
  return buildTrainGraph({ unet: TINY_UNET, text: TINY_CLIP_TEXT, concepts: 2, batch, height: 8, width: 8, seqLen: SEQ, seed: 3, config, exposeMaps, detachSosKv });
}

type TrainGraphConfig = Pick<DisenDiffConfig, 'terms' | 'attentionLossWeight' | 'maskAttentionWeight' | 'gaussianSigma' | 'gaussianKernelSize' | 'minMaxEps' | 'iouSmooth' | 'betas' | 'mapLayers' | 'frozenMapKeys' | 'kvLora'>;

/** A seeded two-object world scene: latents [4, 8, 8] in about [−1, 1] and one 8×8 mask per object (0..1). */
export function worldScene(seed: number): { latents: Float32Array; masks: Float32Array[] } {
  const r = renderScene(sampleScene(new Rng(seed), { count: 2 }), 64, 1);
  const latents = new Float32Array(4 * 64);
  const masks = r.masks.map(() => new Float32Array(64));
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      const p = (y >> 3) * 8 + (x >> 3);
      const px = (y * 64 + x) * 4;
      for (let ch = 0; ch < 3; ch++) latents[ch * 64 + p] = (latents[ch * 64 + p] as number) + ((r.rgba[px + ch] as number) / 127.5 - 1) / 64;
      latents[3 * 64 + p] = (latents[3 * 64 + p] as number) + (((r.rgba[px] as number) + (r.rgba[px + 1] as number) + (r.rgba[px + 2] as number)) / 382.5 - 1) / 64;
      r.masks.forEach((m, i) => ((masks[i] as Float32Array)[p] = ((masks[i] as Float32Array)[p] as number) + (m[y * 64 + x] as number) / 255 / 64));
    }
  }
  return { latents, masks };
}

/**
 * Data feeds for `samples` of world scene 5 (noise seed 1) and the initial trainables: class-word modifier rows and,
 * unless the graph learns K/V as LoRA factors, the seed-3 random K/V weights (the graph's own W0).
 */
export function tinyTrainFeeds(tg: TrainGraph, samples: readonly { prompt: string; timestep: number }[]): Record<string, HostTensor> {
  const { tok, concepts } = tinyConcepts();
  const scene = worldScene(5);
  const rng = new Rng(1);
  const batch = samples.map((x) => ({ prompt: x.prompt, latents: scene.latents, masks: scene.masks, noise: rng.normalArray(256), timestep: x.timestep }));
  const feeds: Record<string, HostTensor> = { ...microBatchFeeds(tg, tok, concepts, batch, [4, 8, 8]) };
  const weights = new RandomWeights(3);
  const table = weights.get('text_model.embeddings.token_embedding.weight', [TINY_CLIP_TEXT.vocab_size, TINY_CLIP_TEXT.hidden_size]);
  feeds.extra_token_embeds = { dtype: 'float32', dims: [2, 32], data: initialModifierRows(concepts, table, 32, { kind: 'class-word' }) };
  if (!tg.kvLora) {
    for (const name of tg.trainable.slice(1)) {
      const dims = tg.backward.graph.inputs.find((v) => v.name === name)?.shape as number[];
      feeds[name] = { dtype: 'float32', dims, data: weights.get(name, dims).slice() };
    }
  }
  return feeds;
}

/** Runs a session and returns every output as a Float32Array. */
export async function runFloat(s: Session, feeds: Record<string, HostTensor>): Promise<Record<string, Float32Array>> {
  const out = await s.run(feeds);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, (v as HostTensor).data as Float32Array]));
}
