// Moves large initializers out of the model into one external data blob, so models above protobuf's 2 GB
// limit can be written (onnx/docs/ExternalData.md). Pure: returns a new Model and the blob; never writes files.
// The runtime loads the blob through SessionOptions.externalData (path = the location written here).
import { GraphError } from '../../lib/errors';
import { bytesOfTyped } from '../ir/dtype';
import type { Model, TensorData } from '../ir/types';
import { encodeModel } from './encode';

/**
 * Above this many initializer bytes a model goes through ONNX external data (protobuf's hard cap is 2 GB; SD 1.5's
 * UNet is 3.4 GB): the one threshold for pipeline sessions, training phases and bundles.
 */
export const MAX_INLINE_BYTES = 1 << 30;
/** With external data, initializers of at least this many bytes move out (small ones stay inline). */
export const EXTERNAL_MIN_TENSOR_BYTES = 1024;

export type ExternalizeOptions = {
  /** external file name written into each tensor's location (default "model.onnx.data") */
  location?: string;
  /** byte alignment of each tensor's offset (default 64) */
  alignment?: number;
};

/**
 * Moves every main-graph initializer with at least `threshold` bytes into one blob.
 * @returns model: a copy whose moved initializers have `external` set and `data` undefined;
 *          files: location → blob (one entry, absent when nothing was moved)
 * @throws GraphError when a tensor to move is a string tensor or has no data loaded
 * @example const { model: m, files } = externalize(model, 1024); runner.createSession('unet', encodeModel(m), { externalData: files });
 */
export function externalize(model: Model, threshold: number, options: ExternalizeOptions = {}): { model: Model; files: Record<string, Uint8Array> } {
  const location = options.location ?? 'model.onnx.data';
  const align = options.alignment ?? 64;
  const moved: { bytes: Uint8Array; offset: number }[] = [];
  let size = 0;
  const initializers = model.graph.initializers.map((t): TensorData => {
    if (t.external || t.dtype === 'string' || byteSize(t) < threshold) return t;
    if (!t.data || Array.isArray(t.data)) throw new GraphError(`externalize: initializer "${t.name}" has no numeric data loaded; decode with externalData first`);
    const bytes = bytesOfTyped(t.data as Exclude<TensorData['data'], string[] | undefined>);
    const offset = Math.ceil(size / align) * align;
    size = offset + bytes.length;
    moved.push({ bytes, offset });
    return { ...t, data: undefined, external: { location, offset, length: bytes.length } };
  });
  const out: Model = { ...model, graph: { ...model.graph, initializers } };
  if (moved.length === 0) return { model: out, files: {} };
  const blob = new Uint8Array(size);
  for (const m of moved) blob.set(m.bytes, m.offset);
  return { model: out, files: { [location]: blob } };
}

function byteSize(t: TensorData): number {
  if (!t.data || Array.isArray(t.data)) return 0;
  return (t.data as Exclude<TensorData['data'], string[] | undefined>).byteLength;
}

/** Bytes of all main-graph initializers that hold data. */
export function initializerBytes(model: Model): number {
  return model.graph.initializers.reduce((sum, t) => sum + byteSize(t), 0);
}

/**
 * Serializes `model` for a session or a file: inline when its initializers fit in `maxInlineBytes`, otherwise with
 * every initializer of ≥ EXTERNAL_MIN_TENSOR_BYTES moved to external data at `location`.
 * @example const { bytes, externalData } = encodeForSession(model, MAX_INLINE_BYTES, 'unet.onnx.data');
 *          runner.createSession('unet', bytes, { externalData });
 */
export function encodeForSession(model: Model, maxInlineBytes: number = MAX_INLINE_BYTES, location = 'model.onnx.data'): { bytes: Uint8Array; externalData?: Record<string, Uint8Array> } {
  if (initializerBytes(model) <= maxInlineBytes) return { bytes: encodeModel(model) };
  const ext = externalize(model, EXTERNAL_MIN_TENSOR_BYTES, { location });
  return { bytes: encodeModel(ext.model), externalData: ext.files };
}
