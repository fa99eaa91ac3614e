// Saving and loading a concept pack as a folder: "pack.json" (metadata, concepts, delta names and shapes) and
// "weights.safetensors" (float32, lossless: "delta/<state-dict name>" and "embedding/<token>" [hidden]).
// Works on any FileSink / FileSource (Node folder, OPFS, memory). Refuses malformed packs with a named reason.
import { ModelAssetError } from '../../lib/errors';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import type { FileSource } from '../../diffusion/index';
import type { ConceptPack, FileSink, PackMetadata } from './types';

export const PACK_JSON = 'pack.json';
export const PACK_WEIGHTS = 'weights.safetensors';

type PackJson = { metadata: PackMetadata; concepts: { token: string; classWord: string }[]; deltas: { name: string; shape: number[] }[] };

function f32(shape: number[], data: Float32Array): SafeTensor {
  return { dtype: 'F32', shape, data };
}

/** The two files of a pack folder, path → bytes. */
export function encodePack(pack: ConceptPack): Map<string, Uint8Array> {
  const tensors: Record<string, SafeTensor> = {};
  for (const c of pack.concepts) tensors[`embedding/${c.token}`] = f32([c.embedding.length], c.embedding);
  for (const d of pack.deltas) tensors[`delta/${d.name}`] = f32(d.shape, d.delta);
  const json: PackJson = {
    metadata: pack.metadata,
    concepts: pack.concepts.map((c) => ({ token: c.token, classWord: c.classWord })),
    deltas: pack.deltas.map((d) => ({ name: d.name, shape: d.shape })),
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
 * Reads a pack folder written by savePack.
 * @throws ModelAssetError for a missing file, a foreign format, or tensors that disagree with pack.json
 */
export async function loadPack(src: FileSource): Promise<ConceptPack> {
  const json = JSON.parse(new TextDecoder().decode(await src.read(PACK_JSON))) as PackJson;
  if (json.metadata?.format !== 'disenstudio-concept-pack' || json.metadata.version !== 1) {
    throw new ModelAssetError(`${src.label}/${PACK_JSON} is not a version-1 DisenStudio concept pack (format ${JSON.stringify(json.metadata?.format)}, version ${json.metadata?.version})`);
  }
  const { tensors } = readSafetensors(await src.read(PACK_WEIGHTS));
  const concepts = json.concepts.map((c) => ({ token: c.token, classWord: c.classWord, embedding: tensorOf(src.label, tensors, `embedding/${c.token}`) }));
  const deltas = json.deltas.map((d) => {
    const delta = tensorOf(src.label, tensors, `delta/${d.name}`);
    if (delta.length !== d.shape.reduce((a, b) => a * b, 1)) throw new ModelAssetError(`${src.label}: delta "${d.name}" has ${delta.length} values for shape [${d.shape}]`);
    return { name: d.name, shape: [...d.shape], delta };
  });
  return { metadata: json.metadata, concepts, deltas };
}
