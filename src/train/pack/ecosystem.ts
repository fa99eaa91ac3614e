// Export of a concept pack to files other tools load (docs/ecosystem.md §2–§4, docs/ecosystem-io.md), and import back:
//   "<stem>.safetensors" per concept: {"<cat1>": F32 [1, hidden]} + modelspec.* (textual-inversion; diffusers,
//   A1111, ComfyUI); "<title>.safetensors": kohya-named full-rank K/V deltas "lora_unet_…_to_k.diff" + modelspec
//   (LoRA architecture) + ss_* + "disenstudio.pack" (metadata and class words, so import restores the pack);
//   optionally a kohya LoRA by truncated SVD and diffusers' Custom Diffusion file (peerExports.ts).
// Pure bytes in/out. Float32 only (lossless; fp16 export would halve the ~77 MB of SD 1.5 at a small cost).
import { ConfigError, ModelAssetError } from '../../lib/errors';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import { stateDictNameOfKohya, tokenStem } from './kohya';
import type { WeightSource } from '../../onnx/index';
import type { ConceptPack, PackConcept, PackDelta, PackMetadata } from './types';
import { checkPackFields } from './io';
import { exportDeltaTensors, loraExportMetadata, loraPackDelta } from './lora';
import { withPath } from '../../diffusion/index';
import { baseModelVersion, isSd1Shaped, modelspec, notForSd1 } from './exportMeta';
import type { ExportOptions } from './exportMeta';
import { customDiffusionFile, kohyaLoraFile } from './peerExports';
import type { LoraReport } from './peerExports';

export type { ExportOptions } from './exportMeta';
export { isSd1Shaped } from './exportMeta';

/** Rank of the kohya LoRA file the studio writes (Custom Diffusion's compress.py-style SVD; the error is measured and stored). */
export const DEFAULT_LORA_RANK = 8;

/** What exportEcosystem writes beyond the always-written files. */
export type EcosystemOptions = ExportOptions & {
  /** rank of the kohya LoRA file "<title>_lora_r<rank>.safetensors" (truncated SVD); none when absent */
  loraRank?: number;
  /** base UNet weights: with them an SD 1.x-shaped pack also gets diffusers' "<title>_custom_diffusion.safetensors" */
  baseUnet?: WeightSource;
};

type StoredPack = { metadata: PackMetadata; concepts: { token: string; classWord: string; file: string }[] };

function embeddingFile(c: PackConcept, pack: ConceptPack, o: ExportOptions): Uint8Array {
  const meta = modelspec('textual-inversion', tokenStem(c.token), o, pack, {
    'modelspec.trigger_phrase': `${c.token} ${c.classWord}`,
    'modelspec.usage_hint': `Use with ${o.title}.safetensors (K/V deltas). A1111: "${tokenStem(c.token)} ${c.classWord}"; ComfyUI: "embedding:${tokenStem(c.token)} ${c.classWord}"`,
    'disenstudio.class_word': c.classWord,
    ...notForSd1(pack),
  });
  return writeSafetensors({ [c.token]: { dtype: 'F32', shape: [1, c.embedding.length], data: c.embedding } }, meta);
}

/** The prompt that addresses every concept of the export, per tool. */
export type ExportPrompts = { a1111: string; comfyui: string; diffusers: string };

/**
 * The prompt that addresses every concept of the export in each tool, with the files named as exportEcosystem
 * names them: A1111 matches an embedding by file stem and applies the K/V file with `<lora:title:1>`; ComfyUI
 * writes `embedding:stem` (K/V file through a LoRA loader node); diffusers' load_textual_inversion registers the
 * file's key, the studio's token itself. DisenDiff wants the class word right after each token.
 */
export function exportPrompts(pack: ConceptPack, title: string): ExportPrompts {
  const each = (f: (c: PackConcept) => string) => pack.concepts.map((c) => `${f(c)} ${c.classWord}`).join(' and ');
  return {
    a1111: `a photo of ${each((c) => tokenStem(c.token))} <lora:${title}:1>`,
    comfyui: `a photo of ${each((c) => `embedding:${tokenStem(c.token)}`)}`,
    diffusers: `a photo of ${each((c) => c.token)}`,
  };
}

/** File names of an export (see exportEcosystem). */
export function exportFileNames(pack: ConceptPack, o: EcosystemOptions): { embeddings: string[]; diff: string; lora?: string; customDiffusion?: string; usage: string } {
  return {
    embeddings: pack.concepts.map((c) => `${tokenStem(c.token)}.safetensors`),
    diff: `${o.title}.safetensors`,
    ...(o.loraRank !== undefined ? { lora: `${o.title}_lora_r${o.loraRank}.safetensors` } : {}),
    ...(o.baseUnet && isSd1Shaped(pack) ? { customDiffusion: `${o.title}_custom_diffusion.safetensors` } : {}),
    usage: `${o.title}_usage.txt`,
  };
}

/** Per tool: which file goes where and the prompt that works with those file names (the export's usage file). */
export function exportUsage(pack: ConceptPack, o: EcosystemOptions): string {
  const f = exportFileNames(pack, o);
  const p = exportPrompts(pack, o.title);
  const emb = f.embeddings.join(', ');
  const lines = [
    `DisenStudio export "${o.title}": ${pack.concepts.map((c) => `${c.token} (${c.classWord})`).join(', ')}, base model "${pack.metadata.baseModel.name}" (${pack.metadata.baseModel.hash}).`,
    ...(isSd1Shaped(pack) ? [] : [`NOT FOR SD 1.x TOOLS: these widths are not SD 1.x's; the files load only in DisenStudio with that base model.`]),
    '',
    `AUTOMATIC1111: ${emb} in embeddings/, ${f.diff}${f.lora ? ` (or ${f.lora})` : ''} in models/Lora/.`,
    `  prompt: ${p.a1111}${f.lora ? `
  with the LoRA: ${p.a1111.replace(`<lora:${o.title}:1>`, `<lora:${f.lora.replace(/\.safetensors$/, '')}:1>`)}` : ''}`,
    `ComfyUI: ${emb} in models/embeddings/, ${f.diff}${f.lora ? ` or ${f.lora}` : ''} through a LoraLoaderModelOnly node.`,
    `  prompt: ${p.comfyui}`,
    `diffusers: pipe.load_textual_inversion(each of ${emb})${f.customDiffusion ? `; pipe.unet.load_attn_procs(folder, weight_name="${f.customDiffusion}", _pipeline=pipe)` : ''}${f.lora ? `; or pipe.load_lora_weights(folder, weight_name="${f.lora}")` : ''}.`,
    `  prompt: ${p.diffusers}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Everything an export writes: file name → bytes, and the LoRA file's measured error when one is written. */
export type EcosystemExport = { files: Map<string, Uint8Array>; lora?: LoraReport; prompts: ExportPrompts };

/**
 * Every export file: per concept "<stem>.safetensors" (token embedding), "<title>.safetensors" (full K/V ".diff"),
 * with `loraRank` "<title>_lora_r<rank>.safetensors" (kohya LoRA by truncated SVD), with `baseUnet` and an SD 1.x-shaped
 * pack "<title>_custom_diffusion.safetensors" (diffusers), and "<title>_usage.txt" (per-tool prompts).
 * @throws ModelAssetError when two tokens give one file name or the base UNet lacks a K/V weight; ConfigError for a bad rank
 */
export function exportEcosystemWithReport(pack: ConceptPack, o: EcosystemOptions): EcosystemExport {
  if (o.loraRank !== undefined && !(Number.isInteger(o.loraRank) && o.loraRank >= 1)) throw new ConfigError(`export: the LoRA rank must be a positive integer (got ${o.loraRank})`);
  const files = new Map<string, Uint8Array>();
  const names = exportFileNames(pack, o);
  const stored: StoredPack = { metadata: pack.metadata, concepts: [] };
  pack.concepts.forEach((c, i) => {
    const file = names.embeddings[i] as string;
    if (files.has(file)) throw new ModelAssetError(`export: two tokens map to the file name "${file}"; rename one concept token`);
    files.set(file, embeddingFile(c, pack, o));
    stored.concepts.push({ token: c.token, classWord: c.classWord, file });
  });
  files.set(names.diff, diffFile(pack, o, stored));
  let lora: LoraReport | undefined;
  if (names.lora && o.loraRank !== undefined) {
    const l = kohyaLoraFile(pack, o, o.loraRank);
    files.set(names.lora, l.bytes);
    lora = l.report;
  }
  if (names.customDiffusion && o.baseUnet) files.set(names.customDiffusion, customDiffusionFile(pack, o.baseUnet, o));
  files.set(names.usage, new TextEncoder().encode(exportUsage(pack, o)));
  return { files, prompts: exportPrompts(pack, o.title), ...(lora ? { lora } : {}) };
}

/** File name → bytes of every export file (exportEcosystemWithReport without the report). */
export function exportEcosystem(pack: ConceptPack, o: EcosystemOptions): Map<string, Uint8Array> {
  return exportEcosystemWithReport(pack, o).files;
}

function diffFile(pack: ConceptPack, o: ExportOptions, stored: StoredPack): Uint8Array {
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
    ss_base_model_version: baseModelVersion(pack),
    ...notForSd1(pack),
    ss_seed: String(pack.metadata.settings.seed ?? ''),
    ss_learning_rate: String(pack.metadata.settings.learningRate ?? ''),
    ss_max_train_steps: String(pack.metadata.settings.steps ?? ''),
    'disenstudio.pack': JSON.stringify(stored),
  });
  return writeSafetensors(tensors, meta);
}

/**
 * The pack deltas of an exported K/V file: full ".diff" keys, or a LoRA-trained pack's kohya factors
 * ("….lora_down.weight", "….lora_up.weight", "….alpha"), merged as the export wrote them (pack/lora.ts).
 * @throws ModelAssetError for a key that is neither, or a module missing one of its factors
 */
function importDeltas(file: string, tensors: Record<string, SafeTensor>): PackDelta[] {
  const deltas: PackDelta[] = [];
  const factors = new Map<string, { down?: SafeTensor; up?: SafeTensor; alpha?: SafeTensor }>();
  for (const [key, t] of Object.entries(tensors)) {
    const m = /^(.*)\.(lora_down\.weight|lora_up\.weight|alpha)$/.exec(key);
    if (m) {
      const f = factors.get(m[1] as string) ?? {};
      f[m[2] === 'alpha' ? 'alpha' : m[2] === 'lora_up.weight' ? 'up' : 'down'] = t;
      factors.set(m[1] as string, f);
      continue;
    }
    const sd = stateDictNameOfKohya(key);
    if (!sd) throw new ModelAssetError(`import: "${file}" key "${key}" is not a kohya UNet attention ".diff" or LoRA key`);
    deltas.push({ name: sd, shape: [...t.shape], delta: tensorToFloat32(key, t) });
  }
  for (const [stem, f] of factors) {
    const sd = stateDictNameOfKohya(`${stem}.diff`);
    if (!sd || !f.up || !f.down) throw new ModelAssetError(`import: "${file}" LoRA module "${stem}" ${sd ? 'lacks its lora_up or lora_down weight' : 'is not a UNet attention module'}`);
    const up = tensorToFloat32(`${stem}.lora_up.weight`, f.up);
    const down = tensorToFloat32(`${stem}.lora_down.weight`, f.down);
    const rank = f.down.shape[0] as number;
    const alpha = f.alpha ? (tensorToFloat32(`${stem}.alpha`, f.alpha)[0] as number) : rank;
    deltas.push(loraPackDelta(sd, [f.up.shape[0] as number, f.down.shape[1] as number], up, down, alpha));
  }
  return deltas;
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
    const deltas = importDeltas(name, file.tensors);
    deltas.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { metadata: stored.metadata, concepts: stored.concepts.map((c) => importConcept(files, c)), deltas };
  }
  throw new ModelAssetError(`import: none of ${[...files.keys()].join(', ') || '(no files)'} is a DisenStudio K/V file (safetensors with "disenstudio.pack" metadata)`);
}
