// Node helper of the generate CLI: `--lora file.safetensors[:strength]` files read, `<lora:name:w>` prompt tags
// resolved against their file stems by the rule the studio shares (src/diffusion/lora/files.ts `resolveLoraTags`:
// a tag sets its file's strength; a tag naming no given file is an error), the LoRAs merged into the model and their
// A1111 short hashes. Node only (node:fs). Reference: src/diffusion/lora/lora.ts.
import { readFile } from 'node:fs/promises';
import { applyEmbeddings, applyLoras, embeddingShortHash, expandEmbeddingTokens, fileStem, loraShortHash, loraTargetNames, parseEmbedding, parseLora, resolveLoraTags } from '../../src/diffusion/index';
import type { LoadedModel, LoraUse } from '../../src/diffusion/index';

/** "dir/ink.safetensors:0.8" → path and strength (default 1); a Windows drive colon is left alone. */
export function parseLoraArg(arg: string): { path: string; strength: number } {
  const m = /^(.*\.safetensors)(?::([^:]+))?$/i.exec(arg);
  if (!m) throw new Error(`--lora "${arg}": expected file.safetensors or file.safetensors:strength`);
  const strength = m[2] === undefined ? 1 : Number(m[2]);
  if (!Number.isFinite(strength)) throw new Error(`--lora "${arg}": strength "${m[2]}" is not a number`);
  return { path: m[1] as string, strength };
}

/** The model with the LoRAs merged, the prompt without its tags, and name → A1111 short hash. */
export async function withLoraFiles(model: LoadedModel, prompt: string, args: readonly string[]): Promise<{ model: LoadedModel; prompt: string; loraHashes: Record<string, string> }> {
  const files = args.map(parseLoraArg).map((f) => ({ ...f, name: fileStem(f.path), isEnabled: true }));
  const resolved = resolveLoraTags(prompt, files, '--lora file');
  const uses: LoraUse[] = [];
  const loraHashes: Record<string, string> = {};
  const names = loraTargetNames(model);
  for (const { file: f, strength } of resolved.uses) {
    const b = await readFile(f.path);
    const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const file = parseLora(bytes, f.path, names);
    if (file.unknownKeys.length) console.warn(`warning: ${f.path}: ${file.unknownKeys.length} keys match no weight of this model (first: ${file.unknownKeys[0]})`);
    uses.push({ file, strength });
    loraHashes[f.name] = await loraShortHash(bytes);
  }
  return { model: applyLoras(model, uses), prompt: resolved.prompt, loraHashes };
}

/** `--embedding file.safetensors` files added to the model, the prompt with multi-vector names expanded, and name → A1111 short hash. */
export async function withEmbeddingFiles(model: LoadedModel, prompt: string, paths: readonly string[]): Promise<{ model: LoadedModel; prompt: string; tiHashes: Record<string, string> }> {
  const embeddings = [];
  const tiHashes: Record<string, string> = {};
  for (const path of paths) {
    const b = await readFile(path);
    const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const e = parseEmbedding(bytes, path, fileStem(path), model.textEncoder.config.hidden_size);
    embeddings.push(e);
    tiHashes[e.name] = await embeddingShortHash(bytes);
  }
  return { model: applyEmbeddings(model, embeddings), prompt: expandEmbeddingTokens(prompt, embeddings), tiHashes };
}
