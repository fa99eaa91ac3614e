// Training data of the default model (issue 5): seeded world scenes rendered at 64×64 as float images in
// [−1, 1] (NCHW) with their captions, and caption → word-token ids with caption dropout (empty prompt) for
// classifier-free guidance. Pure: randomness only from the Rng passed in. Reference: src/world/index.ts.
import { WordTokenizer } from '../../diffusion/text/WordTokenizer';
import type { Rng } from '../../lib/random';
import { captionOf, renderScene, sampleScene } from '../../world/index';
import { BASE_SEQ_LEN, baseVocab, IMAGE_SIZE } from './recipe';

export type ImageBatch = { images: Float32Array; captions: string[] };

/** The default model's tokenizer (word level, BASE_SEQ_LEN tokens). */
export function baseTokenizer(): WordTokenizer {
  return new WordTokenizer(baseVocab(), { maxLength: BASE_SEQ_LEN });
}

/** RGBA bytes [S,S,4] → CHW float x/127.5 − 1 written at `out[offset…]`. */
export function rgbaToChw(rgba: ArrayLike<number>, size: number, out: Float32Array, offset: number): void {
  const hw = size * size;
  for (let p = 0; p < hw; p++) {
    for (let c = 0; c < 3; c++) out[offset + c * hw + p] = (rgba[p * 4 + c] as number) / 127.5 - 1;
  }
}

/** `n` fresh training scenes (held-out colour/shape pairs excluded), images [n,3,64,64]. */
export function sceneBatch(rng: Rng, n: number): ImageBatch {
  const per = 3 * IMAGE_SIZE * IMAGE_SIZE;
  const images = new Float32Array(n * per);
  const captions: string[] = [];
  for (let i = 0; i < n; i++) {
    const scene = sampleScene(rng);
    rgbaToChw(renderScene(scene, IMAGE_SIZE).rgba, IMAGE_SIZE, images, i * per);
    captions.push(captionOf(scene));
  }
  return { images, captions };
}

/** Token ids [n, S] int32; each caption is replaced by "" with probability `dropout`. */
export function captionIds(tok: WordTokenizer, captions: readonly string[], rng: Rng, dropout: number): Int32Array {
  const ids = new Int32Array(captions.length * tok.maxLength);
  captions.forEach((c, i) => {
    const text = rng.uniform() < dropout ? '' : c;
    ids.set(tok.encode(text).ids, i * tok.maxLength);
  });
  return ids;
}
