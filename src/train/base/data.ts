// Seeded training data of the default model: world scenes (src/world, HELD_OUT pairs excluded) rendered to
// [−1, 1] CHW float32, and their captions as word-token ids. Batch b of stage s comes from its own Rng, so a
// resumed run sees exactly the batches a straight run would. Pure; no I/O.
import { WordTokenizer } from '../../diffusion/index';
import { Rng } from '../../lib/random';
import { captionOf, renderScene, sampleScene } from '../../world/index';
import { BASE_IMAGE, BASE_LATENT, BASE_SEQ_LEN, baseVocab } from './config';

/** The default model's tokenizer (word vocabulary, 32 tokens). */
export function baseTokenizer(): WordTokenizer {
  return new WordTokenizer(baseVocab(), { maxLength: BASE_SEQ_LEN });
}

/** Rng of batch `index` of `stream` (0 = VAE, 1 = denoiser) for run seed `seed`. */
export function batchRng(seed: number, stream: number, index: number): Rng {
  return new Rng((Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

/** Object count drawn from `weights` (index i = i + 1 objects, summing to 1). */
function pickCount(rng: Rng, weights: readonly number[]): number {
  let u = rng.uniform();
  for (const [i, w] of weights.entries()) {
    if (u < w) return i + 1;
    u -= w;
  }
  return weights.length;
}

/**
 * Where the objects are, at latent resolution: 1 on every `latent`×`latent` cell that any object's coverage mask
 * touches (max over the cell's pixels, coverage 0..255 → 0..1), dilated by one cell, so the cells on both sides of
 * an outline count; 0 elsewhere. `masks` are renderScene's [size·size] masks. Row-major [latent·latent].
 */
export function objectMap(masks: readonly Uint8Array[], size: number, latent: number): Float32Array {
  const f = size / latent;
  const cell = new Float32Array(latent * latent);
  for (const m of masks) {
    for (let p = 0; p < size * size; p++) {
      const v = (m[p] as number) / 255;
      const i = Math.floor(Math.floor(p / size) / f) * latent + Math.floor((p % size) / f);
      if (v > (cell[i] as number)) cell[i] = v;
    }
  }
  const out = new Float32Array(latent * latent);
  for (let y = 0; y < latent; y++) {
    for (let x = 0; x < latent; x++) {
      let v = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < latent && xx >= 0 && xx < latent) v = Math.max(v, cell[yy * latent + xx] as number);
      }
      out[y * latent + x] = v;
    }
  }
  return out;
}

/**
 * One image batch: pixels [B,3,64,64] in [−1, 1], the scene captions, each scene's objectMap [B, 16·16] and its
 * objects' coverage masks (renderScene's, 64·64, 0..255).
 * `countWeights` draws each scene's object count (BASE_COUNT_WEIGHTS in stage B); without it sampleScene's uniform 1–3.
 */
export function sceneBatch(rng: Rng, batch: number, countWeights?: readonly number[]): { pixels: Float32Array; captions: string[]; objects: Float32Array; masks: Uint8Array[][] } {
  const n = BASE_IMAGE * BASE_IMAGE;
  const pixels = new Float32Array(batch * 3 * n);
  const objects = new Float32Array(batch * BASE_LATENT * BASE_LATENT);
  const captions: string[] = [];
  const sceneMasks: Uint8Array[][] = [];
  for (let b = 0; b < batch; b++) {
    const scene = countWeights ? sampleScene(rng, { count: pickCount(rng, countWeights) }) : sampleScene(rng);
    captions.push(captionOf(scene));
    const { rgba, masks } = renderScene(scene, BASE_IMAGE, 3);
    sceneMasks.push(masks);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) pixels[(b * 3 + c) * n + p] = (rgba[p * 4 + c] as number) / 127.5 - 1;
    objects.set(objectMap(masks, BASE_IMAGE, BASE_LATENT), b * BASE_LATENT * BASE_LATENT);
  }
  return { pixels, captions, objects, masks: sceneMasks };
}

/** Token ids [B, 32] (int32); each caption is replaced by "" with probability `dropout` (for CFG). */
export function captionIds(tok: WordTokenizer, captions: readonly string[], rng: Rng, dropout: number): Int32Array {
  const ids = new Int32Array(captions.length * BASE_SEQ_LEN);
  captions.forEach((c, b) => ids.set(tok.encode(rng.uniform() < dropout ? '' : c).ids, b * BASE_SEQ_LEN));
  return ids;
}
