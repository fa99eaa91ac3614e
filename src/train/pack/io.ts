// Saving and loading a concept pack as a folder: "pack.json" (metadata, concepts, delta names and shapes) and
// "weights.safetensors" (float32, lossless: "delta/<state-dict name>" and "embedding/<token>" [hidden]; a delta
// trained as LoRA stores "lora_up/<name>" [out, r] and "lora_down/<name>" [r, in] instead, its rank and α in pack.json).
// Works on any FileSink / FileSource (Node folder, OPFS, memory). Refuses malformed packs with a named reason.
import { ModelAssetError, showValue } from '../../lib/errors';
import { Fields, parseJsonText } from '../../lib/schema';
import { withPath } from '../../diffusion/index';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import type { FileSource } from '../../diffusion/index';
import { loraPackDelta } from './lora';
import type { ConceptPack, FileSink, PackMetadata } from './types';

export const PACK_JSON = 'pack.json';
export const PACK_WEIGHTS = 'weights.safetensors';

type PackJson = { metadata: PackMetadata; concepts: { token: string; classWord: string }[]; deltas: { name: string; shape: number[]; rank?: number; alpha?: number }[] };

function f32(shape: number[], data: Float32Array): SafeTensor {
  return { dtype: 'F32', shape, data };
}

/** The two files of a pack folder, path → bytes. */
export function encodePack(pack: ConceptPack): Map<string, Uint8Array> {
  const tensors: Record<string, SafeTensor> = {};
  for (const c of pack.concepts) tensors[`embedding/${c.token}`] = f32([c.embedding.length], c.embedding);
  for (const d of pack.deltas) {
    if (d.lora) {
      tensors[`lora_up/${d.name}`] = f32([d.shape[0] as number, d.lora.rank], d.lora.up);
      tensors[`lora_down/${d.name}`] = f32([d.lora.rank, d.shape[1] as number], d.lora.down);
    } else tensors[`delta/${d.name}`] = f32(d.shape, d.delta);
  }
  const json: PackJson = {
    metadata: pack.metadata,
    concepts: pack.concepts.map((c) => ({ token: c.token, classWord: c.classWord })),
    deltas: pack.deltas.map((d) => ({ name: d.name, shape: d.shape, ...(d.lora ? { rank: d.lora.rank, alpha: d.lora.alpha } : {}) })),
  };
  return new Map([
    [PACK_JSON, new TextEncoder().encode(JSON.stringify(json, null, 2))],
    [PACK_WEIGHTS, writeSafetensors(tensors, { format: 'disenstudio-concept-pack' })],
  ]);
}

/** Writes pack.json and weights.safetensors into `sink`. */
export async function savePack(pack: ConceptPack, sink: FileSink): Promise<void> {
  for (const [path, bytes] of encodePack(pack)) await sink.write(path, bytes);
}

function tensorOf(label: string, tensors: Record<string, SafeTensor>, key: string): Float32Array {
  const t = tensors[key];
  if (!t) throw new ModelAssetError(`${label}/${PACK_WEIGHTS} lacks "${key}" listed in ${PACK_JSON}; the pack is incomplete`);
  return tensorToFloat32(key, t);
}

/**
 * pack.json checked field by field: metadata (format, version, baseModel, settings), concepts (token, classWord),
 * deltas (name, shape).
 * @throws ModelAssetError naming pack.json and the first bad field
 */
export function checkPackJson(text: string, file: string): PackJson {
  const o = checkPackFields(text, file, false);
  const f = packFields(file);
  f.list(o.deltas, 'deltas', 10_000).forEach((d, i) => {
    const x = f.object(d, `deltas[${i}]`);
    f.string(x.name, `deltas[${i}].name`, 512);
    f.shape(x.shape, `deltas[${i}].shape`);
    if (x.rank !== undefined || x.alpha !== undefined) {
      const shape = x.shape as number[];
      f.int(x.rank, `deltas[${i}].rank`, 1, Math.min(...(shape.length === 2 ? shape : [0])));
      f.number(x.alpha, `deltas[${i}].alpha`, Number.MIN_VALUE, 1e6);
    }
  });
  return o as PackJson;
}

const packFields = (file: string) => new Fields(file, (m) => new ModelAssetError(`${m}; export the pack again from the studio or \`npm run personalize\``));

/**
 * The metadata and concepts of a pack's JSON (pack.json, or the "disenstudio.pack" metadata of an exported K/V file);
 * `withFiles`: each concept also names its embedding file, a plain file name (src/lib/paths.ts).
 * @throws ModelAssetError naming `file` and the first bad field
 */
export function checkPackFields(text: string, file: string, withFiles: boolean): Record<string, unknown> {
  const f = packFields(file);
  const o = f.object(parseJsonText(text, file, (m) => new ModelAssetError(m)), '(top level)');
  const meta = f.object(o.metadata, 'metadata');
  if (meta.format !== 'disenstudio-concept-pack' || meta.version !== 1) throw f.error('metadata.format', `must be a version-1 DisenStudio concept pack (version ${showValue(meta.version)})`, meta.format);
  const base = f.object(meta.baseModel, 'metadata.baseModel');
  f.string(base.name, 'metadata.baseModel.name');
  f.string(base.hash, 'metadata.baseModel.hash', 128);
  if (meta.settings !== undefined) f.object(meta.settings, 'metadata.settings');
  f.list(o.concepts, 'concepts', 64, 1).forEach((c, i) => {
    const x = f.object(c, `concepts[${i}]`);
    f.string(x.token, `concepts[${i}].token`, 64);
    f.string(x.classWord, `concepts[${i}].classWord`, 64);
    if (withFiles) f.path(x.file, `concepts[${i}].file`);
  });
  return o;
}

/**
 * Reads a pack folder written by savePack.
 * @throws ModelAssetError for a missing file, a foreign format, or tensors that disagree with pack.json
 */
export async function loadPack(src: FileSource): Promise<ConceptPack> {
  const json = checkPackJson(new TextDecoder().decode(await src.read(PACK_JSON)), `${src.label}/${PACK_JSON}`);
  const weights = await src.read(PACK_WEIGHTS);
  const { tensors } = withPath(`${src.label}/${PACK_WEIGHTS}`, () => readSafetensors(weights));
  const concepts = json.concepts.map((c) => ({ token: c.token, classWord: c.classWord, embedding: tensorOf(src.label, tensors, `embedding/${c.token}`) }));
  const deltas = json.deltas.map((d) => {
    if (d.rank !== undefined) {
      const up = tensorOf(src.label, tensors, `lora_up/${d.name}`);
      const down = tensorOf(src.label, tensors, `lora_down/${d.name}`);
      const [out, inner] = d.shape as [number, number];
      if (up.length !== out * d.rank || down.length !== d.rank * inner) throw new ModelAssetError(`${src.label}: LoRA delta "${d.name}" has up ${up.length} and down ${down.length} values for shape [${d.shape}] at rank ${d.rank}`);
      return loraPackDelta(d.name, [...d.shape], up, down, d.alpha ?? d.rank);
    }
    const delta = tensorOf(src.label, tensors, `delta/${d.name}`);
    if (delta.length !== d.shape.reduce((a, b) => a * b, 1)) throw new ModelAssetError(`${src.label}: delta "${d.name}" has ${delta.length} values for shape [${d.shape}]`);
    return { name: d.name, shape: [...d.shape], delta };
  });
  return { metadata: json.metadata, concepts, deltas };
}
