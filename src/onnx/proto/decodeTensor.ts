// TensorProto → TensorData for untrusted bytes: dtype, dims and payload size are checked before anything is
// allocated; external data is located (and loaded when the caller passed the file). Pure, no I/O.
// Reference: onnx.proto3 TensorProto (fields 1–14), onnx/docs/ExternalData.md.
import { ModelFormatError } from '../../lib/errors';
import { allocTyped, BYTES_PER_ELEMENT, DTYPE_BY_CODE, typedFromBytes } from '../ir/dtype';
import type { DType, TensorData, TypedData } from '../ir/types';
import { DATA_LOCATION_EXTERNAL, ENTRY, TENSOR } from './fields';
import type { DecodeLimits } from './limits';
import { readFields, readRepeated, Reader } from './reader';
import type { WireType } from './reader';

type Parts = {
  dims: number[];
  code: number;
  name: string;
  raw?: Uint8Array;
  /**
   * typed repeated field values in file order (only one kind is legal per dtype), kept undecoded until the dims
   * are known: a packed run is a reader over its bytes (counted from the bytes: varint ends, fixed widths, and
   * checked against the dims before anything is allocated, so a field declaring more values than its dims costs
   * nothing); unpacked values (one per field occurrence, each at least 2 bytes of the file) are decoded as they come
   * into lists between the runs.
   */
  runs: (Reader | (number | bigint)[])[];
  read?: (x: Reader) => number | bigint;
  /** bytes per value of a fixed-width field (4: float_data, 8: double_data); 0 for varints */
  width: number;
  valueField?: string;
  strings: string[];
  external: Record<string, string>;
  externalUnknown: Uint8Array[];
  location: number;
};

function readTensorField(r: Reader, p: Parts, field: number, wire: WireType, start: number): boolean {
  const push = (kind: string, read: (x: Reader) => number | bigint) => {
    if (p.valueField && p.valueField !== kind) r.fail('garbage', `tensor "${p.name}" has both ${p.valueField} and ${kind}`);
    p.valueField = kind;
    p.read = read;
    p.width = kind === 'float_data' ? 4 : kind === 'double_data' ? 8 : 0;
    if (wire === 2) return void p.runs.push(r.sub(`${r.path}.${kind}`));
    const last = p.runs[p.runs.length - 1];
    const loose = Array.isArray(last) ? last : [];
    if (loose !== last) p.runs.push(loose);
    readRepeated(r, wire, p.width === 4 ? 5 : p.width === 8 ? 1 : 0, kind, (x) => loose.push(read(x)));
  };
  switch (field) {
    case TENSOR.dims: readRepeated(r, wire, 0, 'dims', (x) => p.dims.push(x.int())); return true;
    case TENSOR.dataType: r.expect(wire, 0, 'data_type'); p.code = r.int(); return true;
    case TENSOR.name: r.expect(wire, 2, 'name'); p.name = r.string(); return true;
    case TENSOR.rawData: r.expect(wire, 2, 'raw_data'); p.raw = r.bytes(); return true;
    case TENSOR.floatData: push('float_data', (x) => x.fixed32().getFloat32(0, true)); return true;
    case TENSOR.doubleData: push('double_data', (x) => x.fixed64().getFloat64(0, true)); return true;
    case TENSOR.int32Data: push('int32_data', (x) => Number(BigInt.asIntN(32, x.varint64()))); return true;
    case TENSOR.int64Data: push('int64_data', (x) => x.int64()); return true;
    case TENSOR.uint64Data: push('uint64_data', (x) => x.varint64()); return true;
    case TENSOR.stringData: r.expect(wire, 2, 'string_data'); p.strings.push(r.string()); return true;
    case TENSOR.dataLocation: r.expect(wire, 0, 'data_location'); p.location = r.int(); return true;
    case TENSOR.externalData: return readExternalEntry(r, p, wire, start);
    default: return false;
  }
}

function readExternalEntry(r: Reader, p: Parts, wire: WireType, start: number): boolean {
  r.expect(wire, 2, 'external_data');
  const e = r.sub(`${r.path}.external_data`);
  let key = '';
  let value = '';
  readFields(e, (f, w) => {
    if (f !== ENTRY.key && f !== ENTRY.value) return false;
    e.expect(w, 2, f === ENTRY.key ? 'key' : 'value');
    if (f === ENTRY.key) key = e.string();
    else value = e.string();
    return true;
  });
  if (key === 'location' || key === 'offset' || key === 'length') p.external[key] = value;
  else p.externalUnknown.push(r.buf.slice(start, r.pos));
  return true;
}

/** Decodes one TensorProto message held by `r`. `what` names it in errors ("initializer", "attribute t"). */
export function decodeTensor(r: Reader, limits: DecodeLimits, externalData: Record<string, Uint8Array> | undefined): TensorData {
  const p: Parts = { dims: [], code: 0, name: '', runs: [], width: 0, strings: [], external: {}, externalUnknown: [], location: 0 };
  const unknown = readFields(r, (f, w, start) => readTensorField(r, p, f, w, start));
  const dtype = DTYPE_BY_CODE[p.code];
  const label = `tensor "${p.name}"`;
  if (!dtype) throw new ModelFormatError('dtype', `${r.path}: ${label} has data_type ${p.code}, which this project cannot read (supported: ${Object.values(DTYPE_BY_CODE).join(', ')})`);
  const count = checkedCount(p.dims, dtype, limits, `${r.path}: ${label}`);
  const t: TensorData = { name: p.name, dtype, dims: p.dims, data: undefined };
  const extraUnknown = [...p.externalUnknown, ...unknown];
  if (extraUnknown.length) t.unknown = extraUnknown;
  if (p.location === DATA_LOCATION_EXTERNAL) {
    t.external = externalLocation(p, dtype, count, `${r.path}: ${label}`);
    if (externalData) t.data = loadExternal(t, externalData);
    return t;
  }
  t.data = payload(p, dtype, count, `${r.path}: ${label}`);
  return t;
}

/** Element count of `dims`, rejecting negative dims and sizes beyond the limits. */
export function checkedCount(dims: number[], dtype: DType, limits: DecodeLimits, label: string): number {
  let n = 1;
  for (const d of dims) {
    if (d < 0) throw new ModelFormatError('shape', `${label} has a negative dim in [${dims.join(',')}]`);
    n *= d;
    if (n > limits.maxElements) throw new ModelFormatError('shape', `${label} has dims [${dims.join(',')}], more than ${limits.maxElements} elements`);
  }
  if (n * BYTES_PER_ELEMENT[dtype] > limits.maxTensorBytes) {
    throw new ModelFormatError('limit', `${label} would take ${n * BYTES_PER_ELEMENT[dtype]} bytes, above the limit of ${limits.maxTensorBytes}`);
  }
  return n;
}

function payload(p: Parts, dtype: DType, count: number, label: string): TypedData {
  const size = BYTES_PER_ELEMENT[dtype];
  if (dtype === 'string') {
    if (p.strings.length !== count) throw new ModelFormatError('shape', `${label}: ${p.strings.length} string_data entries for ${count} elements`);
    return p.strings;
  }
  if (p.raw) {
    if (p.raw.length !== count * size) {
      throw new ModelFormatError('shape', `${label}: raw_data has ${p.raw.length} bytes, dims [${p.dims.join(',')}] × ${dtype} need ${count * size}`);
    }
    return typedFromBytes(dtype, p.raw);
  }
  const found = countValues(p, label);
  if (found !== count) {
    throw new ModelFormatError('shape', `${label}: ${p.valueField ?? 'no data field'} has ${found} values for dims [${p.dims.join(',')}] (${count} elements)`);
  }
  if (count > 0 && !legalField(dtype, p.valueField)) throw new ModelFormatError('garbage', `${label}: ${dtype} data cannot be stored in ${p.valueField}`);
  const out = allocTyped(dtype, count);
  const read = p.read as (x: Reader) => number | bigint;
  let i = 0;
  const put = (v: number | bigint): void => {
    if (out instanceof BigInt64Array) out[i++] = BigInt(v);
    else if (out instanceof BigUint64Array) out[i++] = BigInt.asUintN(64, BigInt(v));
    else (out as Float32Array)[i++] = Number(v);
  };
  for (const run of p.runs) {
    if (Array.isArray(run)) run.forEach(put);
    else while (!run.isDone) put(read(run));
  }
  return out;
}

/** Values held by the repeated runs, counted from their bytes alone (no decoding, no allocation). */
function countValues(p: Parts, label: string): number {
  let n = 0;
  for (const run of p.runs) {
    if (Array.isArray(run)) {
      n += run.length;
      continue;
    }
    const bytes = run.end - run.pos;
    if (p.width > 0) {
      if (bytes % p.width !== 0) throw new ModelFormatError('truncated', `${label}: ${p.valueField} holds ${bytes} bytes, not a multiple of ${p.width}`);
      n += bytes / p.width;
    } else {
      for (let k = run.pos; k < run.end; k++) if ((run.buf[k] as number) < 0x80) n++;
      if (bytes > 0 && (run.buf[run.end - 1] as number) >= 0x80) throw new ModelFormatError('truncated', `${label}: ${p.valueField} ends inside a varint`);
    }
  }
  return n;
}

/** Which typed field holds which dtype (onnx.proto3 comments on TensorProto fields 4, 5, 7, 10, 11). */
function legalField(dtype: DType, field: string | undefined): boolean {
  switch (field) {
    case 'float_data': return dtype === 'float32';
    case 'double_data': return dtype === 'float64';
    case 'int64_data': return dtype === 'int64';
    case 'uint64_data': return dtype === 'uint32' || dtype === 'uint64';
    case 'int32_data': return ['int32', 'int16', 'int8', 'uint16', 'uint8', 'bool', 'float16', 'bfloat16'].includes(dtype);
    default: return false;
  }
}

function externalLocation(p: Parts, dtype: DType, count: number, label: string): TensorData['external'] & object {
  const location = p.external.location;
  if (!location) throw new ModelFormatError('external-data', `${label} is marked EXTERNAL but has no "location" entry`);
  if (location.startsWith('/') || location.includes('\\') || location.split('/').includes('..') || /^[a-zA-Z]:/.test(location)) {
    throw new ModelFormatError('external-data', `${label}: external location "${location}" must be a relative path inside the model folder`);
  }
  const expected = count * BYTES_PER_ELEMENT[dtype];
  const offset = parseNonNegative(p.external.offset ?? '0', 'offset', label);
  const length = parseNonNegative(p.external.length ?? String(expected), 'length', label);
  if (length !== expected) throw new ModelFormatError('shape', `${label}: external length ${length} bytes, dims [${p.dims.join(',')}] × ${dtype} need ${expected}`);
  return { location, offset, length };
}

function parseNonNegative(s: string, key: string, label: string): number {
  if (!/^\d{1,16}$/.test(s) || Number(s) > Number.MAX_SAFE_INTEGER) throw new ModelFormatError('external-data', `${label}: external ${key} "${s}" is not a non-negative integer`);
  return Number(s);
}

/** The external payload of `t` from the caller's files. */
export function loadExternal(t: TensorData, files: Record<string, Uint8Array>): TypedData {
  const e = t.external;
  if (!e) throw new ModelFormatError('external-data', `tensor "${t.name}" has no external location`);
  const file = Object.prototype.hasOwnProperty.call(files, e.location) ? files[e.location] : undefined;
  if (!file) {
    throw new ModelFormatError('external-data', `tensor "${t.name}" is stored in external file "${e.location}", which was not passed (got: ${Object.keys(files).join(', ') || 'none'}); pass its bytes in options.externalData["${e.location}"]`);
  }
  if (e.offset + e.length > file.length) {
    throw new ModelFormatError('external-data', `tensor "${t.name}": bytes ${e.offset}..${e.offset + e.length} lie beyond the end of "${e.location}" (${file.length} bytes)`);
  }
  if (t.dtype === 'string') throw new ModelFormatError('external-data', `tensor "${t.name}": string tensors cannot be stored externally`);
  return typedFromBytes(t.dtype, file.subarray(e.offset, e.offset + e.length));
}
