// The one rule set for LoRA and embedding files beside a prompt, shared by the generate CLI (tools/lib/loraFiles.ts)
// and the studio's generation worker (src/workers/networkSet.ts): a file's name is its stem, a file's kind is read
// from its keys, pickles are refused, and A1111's `<lora:name:w>` tags pick files by stem (a tag sets its file's
// strength and enables it; a tag naming no file is an error; A1111 extensions-builtin/Lora/extra_networks_lora.py
// `ExtraNetworkLora.activate`). Pure: no I/O. Reference: docs/lora.md.
import { ModelAssetError } from '../../lib/errors';
import type { LoadedModel } from '../loaders/diffusersFolder';
import { parseLoraTags } from '../text/prompt';
import { readSafetensors } from '../weights/safetensors';
import { embeddingShortHash, parseEmbedding } from './embeddings';
import type { Embedding } from './embeddings';
import { applyLoras, loraShortHash, loraTargetNames, parseLora } from './lora';
import type { LoraFile } from './lora';

/** "dir/ink.safetensors" → "ink" (A1111's name for a LoRA or an embedding: the file name without its extension). */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

const PICKLE = /\.(pt|pth|bin|ckpt)$/i;
/** Keys only textual-inversion files have (kohya, A1111, SDXL pairs). */
const EMBEDDING_KEY = /^(emb_params|string_to_param\..+|clip_[lg])$/;
/** Keys only LoRA-like files have. */
const LORA_KEY = /(lora_(down|up|A|B|mid)|\.alpha$|\.diff(_b)?$|hada_|lokr_|oft_|dora_scale)/;

/**
 * Whether a file is a LoRA (or LyCORIS) file or a textual-inversion embedding, from its tensor names.
 * @throws ModelAssetError naming the file for a pickle or bytes that are not safetensors
 */
export function networkKind(bytes: Uint8Array, fileName: string): 'lora' | 'embedding' {
  if (PICKLE.test(fileName)) throw new ModelAssetError(`${fileName}: pickled files (.pt, .pth, .bin, .ckpt) are not read (unsafe in a browser); convert it to .safetensors`);
  let keys: string[];
  try {
    keys = Object.keys(readSafetensors(bytes).tensors);
  } catch (e) {
    throw new ModelAssetError(`${fileName}: not a safetensors file (${e instanceof Error ? e.message : String(e)})`);
  }
  if (keys.some((k) => EMBEDDING_KEY.test(k))) return 'embedding';
  if (keys.length === 1 && !LORA_KEY.test(keys[0] as string)) return 'embedding';
  return 'lora';
}

type FileFacts = { name: string; fileName: string; size: number; hash: string };
/** A file read against a model: its stem, size, A1111 short hash and parsed content. */
export type NetworkFile = (FileFacts & { kind: 'lora'; lora: LoraFile }) | (FileFacts & { kind: 'embedding'; embedding: Embedding });

/**
 * Reads a LoRA or embedding file against `model`: the kind from its keys, every LoRA module's shape checked against
 * the model's weight, an embedding's rows against the text encoder's width, and A1111's short hash.
 * @throws ModelAssetError naming the file and the reason (SDXL / SD 2.x, LoHa, wrong width, pickle, no LoRA key …)
 */
export async function readNetworkFile(bytes: Uint8Array, fileName: string, model: LoadedModel): Promise<NetworkFile> {
  const kind = networkKind(bytes, fileName);
  const facts = { name: fileStem(fileName), fileName, size: bytes.length };
  if (kind === 'embedding') {
    const embedding = parseEmbedding(bytes, fileName, facts.name, model.textEncoder.config.hidden_size);
    return { ...facts, kind, embedding, hash: await embeddingShortHash(bytes) };
  }
  const lora = parseLora(bytes, fileName, loraTargetNames(model));
  applyLoras(model, [{ file: lora, strength: 1 }]); // checks every module's shape now (the overlay itself is lazy)
  return { ...facts, kind, lora, hash: await loraShortHash(bytes) };
}

/** A LoRA the user can pick: its name (file stem), the strength set beside it, and whether it is on. */
export type LoraChoice = { readonly name: string; readonly strength: number; readonly isEnabled: boolean };

/**
 * The LoRAs a prompt uses: each enabled file at its strength, and each file a `<lora:name:w>` tag names at the tag's
 * strength (the last tag of a name wins), whether enabled or not. The tags are removed from the prompt.
 * @param where how the files were given, for the message ("--lora file", "LoRA in the list")
 * @throws ModelAssetError when a tag names no file
 */
export function resolveLoraTags<T extends LoraChoice>(prompt: string, files: readonly T[], where = 'LoRA file'): { prompt: string; uses: { file: T; strength: number }[] } {
  const tags = parseLoraTags(prompt);
  for (const t of tags.loras) {
    if (!files.some((f) => f.name === t.name)) throw new ModelAssetError(`prompt: <lora:${t.name}:…> names no ${where} (given: ${files.map((f) => f.name).join(', ') || 'none'})`);
  }
  const uses: { file: T; strength: number }[] = [];
  for (const file of files) {
    const tag = tags.loras.filter((t) => t.name === file.name).pop();
    if (tag) uses.push({ file, strength: tag.strength });
    else if (file.isEnabled) uses.push({ file, strength: file.strength });
  }
  return { prompt: tags.prompt, uses };
}

/** The prompt as A1111 records it: the typed prompt plus a `<lora:name:w>` tag for each LoRA used that it does not tag. */
export function promptWithLoraTags(prompt: string, uses: readonly { file: { readonly name: string }; strength: number }[]): string {
  const tagged = new Set(parseLoraTags(prompt).loras.map((t) => t.name));
  const extra = uses.filter((u) => !tagged.has(u.file.name)).map((u) => `<lora:${u.file.name}:${u.strength}>`);
  return extra.length ? `${prompt} ${extra.join(' ')}`.trim() : prompt;
}
