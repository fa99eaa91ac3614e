// The evaluator's weight files: a flat little-endian float32 blob (evaluator.bin) plus a JSON manifest listing
// each tensor's name, shape and element offset, in paramShapes() order, and a card with training facts.
// Pure (bytes in, bytes out); the caller reads and writes files. No safetensors writer exists in src/ yet.
import { ModelAssetError } from '../lib/errors';
import { paramShapes } from './architecture';

/** One tensor in the blob: float32 values [offset, offset + prod(shape)). */
export type TensorEntry = { name: string; shape: number[]; offset: number };

/** evaluator.json: the manifest (format, tensors) plus the card written by tools/eval/trainEvaluator.ts. */
export type EvaluatorManifest = {
  format: 'disenstudio-evaluator-f32le/2';
  weights: string;
  tensors: TensorEntry[];
  /** embedding mean over training objects, subtracted before cosine similarity (length = embedding size) */
  embeddingMean: number[];
  card?: Record<string, unknown>;
};

/** Packs `params` (name → values) into a blob and its tensor table. */
export function packWeights(params: Record<string, Float32Array>): { blob: Uint8Array; tensors: TensorEntry[] } {
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const p of paramShapes()) {
    const v = params[p.name];
    const n = p.shape.reduce((a, s) => a * s, 1);
    if (!v || v.length !== n) throw new ModelAssetError(`packWeights: "${p.name}" has ${v?.length ?? 'no'} values, expected ${n} for [${p.shape}]`);
    tensors.push({ name: p.name, shape: p.shape, offset });
    offset += n;
  }
  const all = new Float32Array(offset);
  for (const t of tensors) all.set(params[t.name] as Float32Array, t.offset);
  return { blob: new Uint8Array(all.buffer), tensors };
}

/** Unpacks a blob with its manifest; checks every tensor of the architecture is present with its shape. */
export function unpackWeights(manifest: EvaluatorManifest, blob: Uint8Array): Record<string, Float32Array> {
  if (manifest.format !== 'disenstudio-evaluator-f32le/2') throw new ModelAssetError(`evaluator manifest format "${manifest.format}" is not "disenstudio-evaluator-f32le/2"; retrain with tools/eval/trainEvaluator.ts`);
  if (blob.byteLength % 4 !== 0) throw new ModelAssetError(`evaluator weights are ${blob.byteLength} bytes, not a whole number of float32 values`);
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  const all = new Float32Array(copy.buffer);
  const out: Record<string, Float32Array> = {};
  for (const p of paramShapes()) {
    const t = manifest.tensors.find((e) => e.name === p.name);
    const n = p.shape.reduce((a, s) => a * s, 1);
    if (!t || t.shape.join(',') !== p.shape.join(',') || t.offset + n > all.length) {
      throw new ModelAssetError(`evaluator weights: tensor "${p.name}" [${p.shape}] is missing or malformed in the manifest (found ${t ? `[${t.shape}] at ${t.offset}` : 'nothing'}); retrain with tools/eval/trainEvaluator.ts`);
    }
    out[p.name] = all.slice(t.offset, t.offset + n);
  }
  return out;
}
