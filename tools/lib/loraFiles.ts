// Node helper of the generate CLI: `--lora file.safetensors[:strength]` files read, `<lora:name:w>` prompt tags
// resolved against their file stems (a tag sets its file's strength; a tag naming no given file is an error), the
// LoRAs merged into the model and their A1111 short hashes. Node only (node:fs). Reference: src/diffusion/lora/lora.ts.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { applyEmbeddings, applyLoras, embeddingShortHash, expandEmbeddingTokens, loraShortHash, loraTargetNames, parseEmbedding, parseLora, parseLoraTags } from '../../src/diffusion/index';
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
  const tags = parseLoraTags(prompt);
  const files = args.map(parseLoraArg).map((f) => ({ ...f, name: basename(f.path, extname(f.path)) }));
  for (const t of tags.loras) {
    if (!files.some((f) => f.name === t.name)) throw new Error(`prompt: <lora:${t.name}:…> names no --lora file (given: ${files.map((f) => f.name).join(', ') || 'none'})`);
  }
  const uses: LoraUse[] = [];
  const loraHashes: Record<string, string> = {};
  const names = loraTargetNames(model);
  for (const f of files) {
    const b = await readFile(f.path);
    const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const file = parseLora(bytes, f.path, names);
    if (file.unknownKeys.length) console.warn(`warning: ${f.path}: ${file.unknownKeys.length} keys match no weight of this model (first: ${file.unknownKeys[0]})`);
    const tag = tags.loras.filter((t) => t.name === f.name).pop();
    uses.push({ file, strength: tag ? tag.strength : f.strength });
    loraHashes[f.name] = await loraShortHash(bytes);
  }
  return { model: applyLoras(model, uses), prompt: tags.prompt, loraHashes };
}

/** `--embedding file.safetensors` files added to the model, the prompt with multi-vector names expanded, and name → A1111 short hash. */
export async function withEmbeddingFiles(model: LoadedModel, prompt: string, paths: readonly string[]): Promise<{ model: LoadedModel; prompt: string; tiHashes: Record<string, string> }> {
  const embeddings = [];
  const tiHashes: Record<string, string> = {};
  for (const path of paths) {
    const b = await readFile(path);
    const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const e = parseEmbedding(bytes, path, basename(path, extname(path)), model.textEncoder.config.hidden_size);
    embeddings.push(e);
    tiHashes[e.name] = await embeddingShortHash(bytes);
  }
  return { model: applyEmbeddings(model, embeddings), prompt: expandEmbeddingTokens(prompt, embeddings), tiHashes };
}
