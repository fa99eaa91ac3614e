// safetensors reader/writer: u64-LE header length, JSON header {name: {dtype, shape, data_offsets}},
// optional "__metadata__" (string → string), then raw little-endian data. Pure bytes in/out; no I/O.
// Hostile files are rejected with ModelFormatError before any view is made. Reference: the format spec
// and huggingface/safetensors `Metadata::validate` (contiguous offsets, 100 MB header cap).
import { ModelFormatError } from '../../lib/errors';
import { bf16BitsToF32, f16BitsToF32 } from '../../lib/float16';

/** Supported dtypes and their element sizes in bytes. F16/BF16 data are raw uint16 bits. */
export const SAFETENSORS_DTYPES = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 } as const;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

/** Typed-array view per dtype: F16/BF16 → Uint16Array (bits; see lib/float16), I64 → BigInt64Array. */
export type TensorArray = Float64Array | Float32Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export type SafeTensor = {
  dtype: SafetensorsDtype;
  /** Dimensions, row-major; [] for a scalar. */
  shape: number[];
  /** Element data; a view into the input bytes when aligned, else a copy. */
  data: TensorArray;
};

export type SafetensorsFile = {
  /** tensor name → tensor. */
  tensors: Record<string, SafeTensor>;
  /** "__metadata__" key → value (strings only, per the spec); {} when absent. */
  metadata: Record<string, string>;
};

/** Largest accepted header, as the reference implementation (100,000,000 bytes). */
export const MAX_HEADER_BYTES = 100_000_000;

type Entry = { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number };

const ARRAYS: Record<SafetensorsDtype, { new (b: ArrayBuffer, o: number, n: number): TensorArray }> = {
  F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array, I64: BigInt64Array,
  I32: Int32Array, I16: Int16Array, I8: Int8Array, U8: Uint8Array, BOOL: Uint8Array,
};

function fail(reason: ModelFormatError['reason'], message: string): never {
  throw new ModelFormatError(reason, `safetensors: ${message}`);
}

function readHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) fail('truncated', `file is ${bytes.length} bytes; it must start with an 8-byte header length.`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail('limit', `the first 8 bytes give a header length over the ${MAX_HEADER_BYTES}-byte limit; not a safetensors file?`);
  if (Number(n) > bytes.length - 8) fail('truncated', `the header length in the first 8 bytes runs past the end of the ${bytes.length}-byte file.`);
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(n)));
    header = JSON.parse(text);
  } catch {
    fail('garbage', 'header is not UTF-8 JSON.');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('garbage', 'header must be a JSON object.');
  return { header: header as Record<string, unknown>, dataStart: 8 + Number(n) };
}

function parseMetadata(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('garbage', '"__metadata__" must be an object of strings.');
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') fail('garbage', `__metadata__["${k}"] is ${typeof v}; the format allows strings only.`);
  }
  return { ...(raw as Record<string, string>) };
}

function parseEntry(name: string, raw: unknown): Entry {
  if (raw === null || typeof raw !== 'object') fail('garbage', `entry "${name}" is not an object.`);
  const { dtype, shape, data_offsets: offs } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPES, dtype)) {
    fail('dtype', `tensor "${name}" has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(SAFETENSORS_DTYPES).join(', ')}.`);
  }
  const isDim = (d: unknown): d is number => Number.isSafeInteger(d) && (d as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isDim)) fail('shape', `tensor "${name}" has shape ${JSON.stringify(shape)}; expected non-negative integers.`);
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every(isDim)) {
    fail('garbage', `tensor "${name}" has data_offsets ${JSON.stringify(offs)}; expected [begin, end].`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin: offs[0] as number, end: offs[1] as number };
}

/** Offsets must tile [0, dataLength) exactly in order; each span must equal numel × element size. */
function validateLayout(entries: Entry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    const size = SAFETENSORS_DTYPES[e.dtype];
    if (e.end < e.begin) fail('garbage', `tensor "${e.name}" data_offsets [${e.begin}, ${e.end}] end before they begin.`);
    if (e.begin !== cursor) {
      const what = e.begin < cursor ? 'overlaps the previous tensor' : 'leaves a gap after the previous tensor';
      fail('garbage', `tensor "${e.name}" starts at ${e.begin} but ${cursor} was expected: it ${what}.`);
    }
    if (e.end > dataLength) fail('truncated', `tensor "${e.name}" ends at ${e.end}, past the ${dataLength} data bytes.`);
    const numel = e.shape.reduce((a, d) => a * d, 1);
    if (numel * size !== e.end - e.begin) {
      fail('shape', `tensor "${e.name}" shape [${e.shape.join(', ')}] × ${e.dtype} needs ${numel * size} bytes but data_offsets span ${e.end - e.begin}.`);
    }
    if (e.begin % size !== 0) fail('garbage', `tensor "${e.name}" begins at ${e.begin}, not a multiple of its ${e.dtype} size ${size}.`);
    cursor = e.end;
  }
  if (cursor !== dataLength) fail('garbage', `tensors cover ${cursor} of ${dataLength} data bytes; the rest is unaccounted for.`);
}

function view(bytes: Uint8Array, at: number, e: Entry): TensorArray {
  const size = SAFETENSORS_DTYPES[e.dtype];
  const n = (e.end - e.begin) / size;
  const abs = bytes.byteOffset + at + e.begin;
  if (abs % size === 0) return new ARRAYS[e.dtype](bytes.buffer as ArrayBuffer, abs, n);
  const copy = bytes.slice(at + e.begin, at + e.end);
  return new ARRAYS[e.dtype](copy.buffer, 0, n);
}

/**
 * Parses a .safetensors file. Tensor data are views into `bytes` where the platform alignment allows.
 * @throws ModelFormatError for truncated, oversized, non-JSON, overlapping/out-of-range, misaligned or
 * shape-mismatched headers and unknown dtypes; the message names the tensor and the bad value.
 * @example const { tensors } = readSafetensors(bytes); tensors['<cat1>'].shape // [1, 768]
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { header, dataStart } = readHeader(bytes);
  const metadata = parseMetadata(header.__metadata__);
  const entries = Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .map(([k, v]) => parseEntry(k, v));
  validateLayout(entries, bytes.length - dataStart);
  const tensors: Record<string, SafeTensor> = Object.fromEntries(
    entries.map((e) => [e.name, { dtype: e.dtype, shape: e.shape, data: view(bytes, dataStart, e) }]),
  );
  return { tensors, metadata };
}

/**
 * Serialises tensors: data ordered by element size (largest first) then name so every tensor stays
 * aligned, header keys in that order after "__metadata__", header padded with spaces to 8 bytes.
 * @throws ModelFormatError when a tensor's data length does not match its shape or its dtype is unknown.
 */
export function writeSafetensors(tensors: Record<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort((a, b) => {
    const sa = SAFETENSORS_DTYPES[(tensors[a] as SafeTensor).dtype];
    const sb = SAFETENSORS_DTYPES[(tensors[b] as SafeTensor).dtype];
    return sb - sa || (a < b ? -1 : a > b ? 1 : 0);
  });
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const name of names) {
    const t = tensors[name] as SafeTensor;
    const size = SAFETENSORS_DTYPES[t.dtype];
    if (size === undefined) fail('dtype', `cannot write tensor "${name}" of dtype ${String(t.dtype)}.`);
    const numel = t.shape.reduce((a, d) => a * d, 1);
    if (t.data.length !== numel || t.data.byteLength !== numel * size) {
      fail('shape', `tensor "${name}" has ${t.data.length} elements of ${t.data.BYTES_PER_ELEMENT} bytes; shape [${t.shape.join(', ')}] × ${t.dtype} needs ${numel}.`);
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + numel * size] };
    offset += numel * size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const headerBytes = new Uint8Array(padded).fill(0x20);
  headerBytes.set(json);
  json = headerBytes;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const name of names) {
    const d = (tensors[name] as SafeTensor).data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

/**
 * Float32 copy of a floating-point tensor (F16/BF16 bits decoded, F64 rounded).
 * @throws ModelFormatError for integer or bool tensors.
 */
export function tensorToFloat32(name: string, t: SafeTensor): Float32Array {
  switch (t.dtype) {
    case 'F32':
      return Float32Array.from(t.data as Float32Array);
    case 'F64':
      return Float32Array.from(t.data as Float64Array);
    case 'F16':
      return Float32Array.from(t.data as Uint16Array, f16BitsToF32);
    case 'BF16':
      return Float32Array.from(t.data as Uint16Array, bf16BitsToF32);
    default:
      return fail('dtype', `tensor "${name}" is ${t.dtype}; a float tensor (F32, F16, BF16, F64) was expected.`);
  }
}
