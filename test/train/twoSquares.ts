// Shared fixture of the tiny personalization runs: a 16×16 reference with a red square (concept 0) on the left and a
// blue one (concept 1) on the right, optionally with their masks as channels 3 and 4, the two concepts, and a fresh
// tiny diffusers-folder model (seed 1; a fresh one per job, since a job adds the concept tokens to its tokenizer).
import { MemoryFileSource } from '../../src/diffusion/loaders/fileSource';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../src/diffusion/loaders/writeDiffusersFolder';
import type { PlanarImage } from '../../src/train/data/image';

/** 16×16 RGB in [−1, 1]: a red square on the left, a blue one on the right; with `withMasks` their masks as channels 3–4. */
export function twoSquaresScene(withMasks = true): PlanarImage {
  const n = 256;
  const channels = withMasks ? 5 : 3;
  const data = new Float32Array(channels * n).fill(-1);
  for (let y = 4; y < 12; y++) {
    for (let x = 1; x < 7; x++) { data[y * 16 + x] = 1; if (withMasks) data[3 * n + y * 16 + x] = 1; }
    for (let x = 9; x < 15; x++) { data[2 * n + y * 16 + x] = 1; if (withMasks) data[4 * n + y * 16 + x] = 1; }
  }
  return { width: 16, height: 16, channels, data };
}

export const TWO_CONCEPTS = [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }];

/** A freshly loaded tiny diffusers-folder model (writeDiffusersFolder seed 1). */
export function tinyFolderModel(): Promise<LoadedModel> {
  return loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 1 }), 'tiny'));
}
