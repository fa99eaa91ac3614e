// Export of a concept pack to files other tools load (docs/ecosystem.md §2–§4), and import back:
//   "<stem>.safetensors" per concept: {"<cat1>": F32 [1, hidden]} + modelspec.* (textual-inversion; diffusers,
//   A1111, ComfyUI); "<title>.safetensors": kohya-named full-rank K/V deltas "lora_unet_…_to_k.diff" + modelspec
//   (LoRA architecture) + ss_* + "disenstudio.pack" (metadata and class words, so import restores the pack).
// Pure bytes in/out. Float32 only (lossless; fp16 export would halve the ~77 MB of SD 1.5 at a small cost).
import { ModelAssetError } from '../../lib/errors';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import { stateDictNameOfKohya, tokenStem } from './kohya';
import type { ConceptPack, PackConcept, PackMetadata } from './types';
import { checkPackFields } from './io';
import { exportDeltaTensors, loraExportMetadata } from './lora';
import { withPath } from '../../diffusion/index';

export type ExportOptions = {
  /** file stem of the K/V file and modelspec.title, e.g. "studio_catdog" */
  title: string;
  /** modelspec.resolution, e.g. "512x512" */
  resolution: string;
};

type StoredPack = { metadata: PackMetadata; concepts: { token: string; classWord: string; file: string }[] };

/** SD 1.x-shaped: every token row and every K/V delta's input width is CLIP ViT-L's 768 (SD 1.x cross-attention). */
export function isSd1Shaped(pack: ConceptPack): boolean {
  return pack.concepts.every((c) => c.embedding.length === 768) && pack.deltas.every((d) => d.shape.length === 2 && d.shape[1] === 768);
}

/** The modelspec architecture prefix: SD 1.x only when the shapes say so, else a name no SD 1.x tool claims. */
function architecture(pack: ConceptPack): string {
  return isSd1Shaped(pack) ? 'stable-diffusion-v1' : `disenstudio-custom-${tokenStem(pack.metadata.baseModel.name) || 'model'}`;
}

/** A note for files that are not for SD 1.x tools. */
function notForSd1(pack: ConceptPack): Record<string, string> {
  return isSd1Shaped(pack) ? {} : { 'disenstudio.compatibility': `not for SD 1.x tools: trained on "${pack.metadata.baseModel.name}", whose widths are not SD 1.x's; it loads only in DisenStudio with that base model` };
}

function modelspec(arch: string, title: string, o: ExportOptions, pack: ConceptPack, extra: Record<string, string>): Record<string, string> {
  return {
    'modelspec.sai_model_spec': '1.0.1',
    'modelspec.architecture': `${architecture(pack)}/${arch}`,
    'modelspec.implementation': 'diffusers',
    'modelspec.title': title,
    'modelspec.resolution': o.resolution,
    'modelspec.date': pack.metadata.createdAt,
    ...extra,
  };
}

function embeddingFile(c: PackConcept, pack: ConceptPack, o: ExportOptions): Uint8Array {
  const meta = modelspec('textual-inversion', tokenStem(c.token), o, pack, {
    'modelspec.trigger_phrase': `${c.token} ${c.classWord}`,
    'modelspec.usage_hint': `Use with ${o.title}.safetensors (K/V deltas). A1111: "${tokenStem(c.token)} ${c.classWord}"; ComfyUI: "embedding:${tokenStem(c.token)} ${c.classWord}"`,
    'disenstudio.class_word': c.classWord,
    'disenstudio.base_model_hash': pack.metadata.baseModel.hash,
    ...notForSd1(pack),
  });
  return writeSafetensors({ [c.token]: { dtype: 'F32', shape: [1, c.embedding.length], data: c.embedding } }, meta);
}

/**
 * The prompt that addresses every concept of the export in each tool, with the files named as exportEcosystem
 * names them: A1111 matches an embedding by file stem and applies the K/V file with `<lora:title:1>`; ComfyUI
 * writes `embedding:stem` (K/V file through a LoRA loader node); diffusers' load_textual_inversion registers the
 * file's key, the studio's token itself. DisenDiff wants the class word right after each token.
 */
export function exportPrompts(pack: ConceptPack, title: string): { a1111: string; comfyui: string; diffusers: string } {
  const each = (f: (c: PackConcept) => string) => pack.concepts.map((c) => `${f(c)} ${c.classWord}`).join(' and ');
  return {
    a1111: `a photo of ${each((c) => tokenStem(c.token))} <lora:${title}:1>`,
    comfyui: `a photo of ${each((c) => `embedding:${tokenStem(c.token)}`)}`,
    diffusers: `a photo of ${each((c) => c.token)}`,
  };
}

/** File name → bytes of every export file. */
export function exportEcosystem(pack: ConceptPack, o: ExportOptions): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const stored: StoredPack = { metadata: pack.metadata, concepts: [] };
  for (const c of pack.concepts) {
    const file = `${tokenStem(c.token)}.safetensors`;
    if (files.has(file)) throw new ModelAssetError(`export: two tokens map to the file name "${file}"; rename one concept token`);
    files.set(file, embeddingFile(c, pack, o));
    stored.concepts.push({ token: c.token, classWord: c.classWord, file });
  }
  const tensors: Record<string, SafeTensor> = {};
  for (const d of pack.deltas) Object.assign(tensors, exportDeltaTensors(d));
  const trigger = pack.concepts.map((c) => `${c.token} ${c.classWord}`).join(', ');
  const meta = modelspec('lora', o.title, o, pack, {
    'modelspec.trigger_phrase': trigger,
    'modelspec.usage_hint': `K/V deltas apply to every prompt: use together with the token embeddings (${stored.concepts.map((c) => c.file).join(', ')}). A1111: <lora:${o.title}:1>`,
    // a full-rank ".diff" file is LyCORIS' "full" algorithm (A1111 network_full.py, ComfyUI lora.py), not a kohya LoRA
    ss_network_module: 'lycoris.kohya',
    ss_network_args: JSON.stringify({ algo: 'full' }),
    ...loraExportMetadata(pack),
    ss_base_model_version: isSd1Shaped(pack) ? 'sd_v1' : 'unknown',
    ...notForSd1(pack),
    ss_seed: String(pack.metadata.settings.seed ?? ''),
    ss_learning_rate: String(pack.metadata.settings.learningRate ?? ''),
    ss_max_train_steps: String(pack.metadata.settings.steps ?? ''),
    'disenstudio.pack': JSON.stringify(stored),
  });
  files.set(`${o.title}.safetensors`, writeSafetensors(tensors, meta));
  return files;
}

function importConcept(files: ReadonlyMap<string, Uint8Array>, c: StoredPack['concepts'][number]): PackConcept {
  const bytes = files.get(c.file);
  if (!bytes) throw new ModelAssetError(`import: embedding file "${c.file}" for ${c.token} is missing; add it next to the K/V file`);
  const { tensors } = withPath(c.file, () => readSafetensors(bytes));
  const entries = Object.entries(tensors);
  const hit = tensors[c.token] ?? (entries.length === 1 ? entries[0]?.[1] : undefined);
  if (!hit || hit.shape.length !== 2 || hit.shape[0] !== 1) {
    throw new ModelAssetError(`import: "${c.file}" must hold one tensor [1, hidden] keyed "${c.token}" (found ${entries.map(([k, t]) => `${k} [${t.shape}]`).join(', ')})`);
  }
  return { token: c.token, classWord: c.classWord, embedding: tensorToFloat32(c.token, hit) };
}

/**
 * Rebuilds a pack from exported files (file name → bytes): the K/V file is the one with "disenstudio.pack" metadata.
 * @throws ModelAssetError when no such file exists, an embedding file is missing, or a key is not a UNet attention delta
 */
export function importEcosystem(files: ReadonlyMap<string, Uint8Array>): ConceptPack {
  for (const [name, bytes] of files) {
    if (!name.endsWith('.safetensors')) continue;
    const file = withPath(name, () => readSafetensors(bytes));
    const raw = file.metadata['disenstudio.pack'];
    if (!raw) continue;
    const stored = checkPackFields(raw, `${name} metadata "disenstudio.pack"`, true) as StoredPack;
    const deltas = Object.entries(file.tensors).map(([key, t]) => {
      const sd = stateDictNameOfKohya(key);
      if (!sd) throw new ModelAssetError(`import: "${name}" key "${key}" is not a kohya UNet attention ".diff" key`);
      return { name: sd, shape: [...t.shape], delta: tensorToFloat32(key, t) };
    });
    deltas.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { metadata: stored.metadata, concepts: stored.concepts.map((c) => importConcept(files, c)), deltas };
  }
  throw new ModelAssetError(`import: none of ${[...files.keys()].join(', ') || '(no files)'} is a DisenStudio K/V file (safetensors with "disenstudio.pack" metadata)`);
}
