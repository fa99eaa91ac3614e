// Node helpers shared by the personalize and generate CLIs: a pack folder applied to a loaded model (with the
// base-model hash check for diffusers folders) and prompt expansion `<cat1>` → `<cat1> cat`; a folder BlobCache
// for regularisation images. Node only (node:fs). Reference: src/train/pack (applyPack, loadPack).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { expandConceptTokens } from '../../src/diffusion/index';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { modelKindLabel } from '../../src/diffusion/loaders/modelKind';
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import type { BlobCache } from '../../src/train/data/regularisation';
import { applyPack } from '../../src/train/pack/apply';
import { baseModelHash } from '../../src/train/pack/hash';
import { loadPack } from '../../src/train/pack/io';

/** The model with the pack in `packDir` applied, and a prompt expander for its concepts. */
export async function withPackFolder(model: LoadedModel, modelPath: string, packDir: string | undefined): Promise<{ model: LoadedModel; expand: (prompt: string) => string }> {
  if (!packDir) return { model, expand: (p) => p };
  const pack = await loadPack(createNodeFileSource(packDir));
  const isFolder = extname(modelPath) !== '.safetensors';
  const kind = modelKindLabel(model);
  if (!isFolder) console.warn(`warning: ${modelPath} is a single file; the pack's base-model hash is not checked`);
  else if (kind) console.warn(`warning: ${modelPath} is an inpainting model (${kind}); a pack trained on its text-to-image base has that model's hash, so the hash is not checked (the K/V shapes are)`);
  const hash = isFolder && !kind ? await baseModelHash(createNodeFileSource(modelPath)) : undefined;
  const applied = applyPack(model, pack, hash);
  return { model: applied, expand: (p) => expandConceptTokens(p, pack.concepts) };
}

/** BlobCache in a folder: one file per key. */
export function folderBlobCache(dir: string): BlobCache {
  return {
    get: async (key) => readFile(join(dir, `${key}.safetensors`)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength), () => undefined),
    put: async (key, bytes) => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${key}.safetensors`), bytes);
    },
  };
}
