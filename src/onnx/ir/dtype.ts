// DType facts: ONNX TensorProto.DataType numbers, byte sizes, typed-array constructors. Pure.
// Reference: onnx.proto3 `TensorProto.DataType`.
import type { DType, TypedData } from './types';

/** ONNX enum value → DType */
export const DTYPE_BY_CODE: Record<number, DType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

/** DType → ONNX enum value */
export const CODE_BY_DTYPE: Record<DType, number> = {
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, string: 8,
  bool: 9, float16: 10, float64: 11, uint32: 12, uint64: 13, bfloat16: 16,
};

/** DType → bytes per element (0 for string) */
export const BYTES_PER_ELEMENT: Record<DType, number> = {
  float32: 4, uint8: 1, int8: 1, uint16: 2, int16: 2, int32: 4, int64: 8, string: 0,
  bool: 1, float16: 2, float64: 8, uint32: 4, uint64: 8, bfloat16: 2,
};

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'bfloat16' || dtype === 'float64';
}

/** Allocates a zeroed typed array for `count` elements of `dtype` (see TensorData for the mapping). */
export function allocTyped(dtype: DType, count: number): TypedData {
  switch (dtype) {
    case 'float32': return new Float32Array(count);
    case 'float64': return new Float64Array(count);
    case 'int8': return new Int8Array(count);
    case 'uint8': case 'bool': return new Uint8Array(count);
    case 'int16': return new Int16Array(count);
    case 'uint16': case 'float16': case 'bfloat16': return new Uint16Array(count);
    case 'int32': return new Int32Array(count);
    case 'uint32': return new Uint32Array(count);
    case 'int64': return new BigInt64Array(count);
    case 'uint64': return new BigUint64Array(count);
    case 'string': return new Array<string>(count).fill('');
  }
}

/** Views raw little-endian bytes as the typed array of `dtype` (copies, so alignment never matters). */
export function typedFromBytes(dtype: DType, bytes: Uint8Array): TypedData {
  const size = BYTES_PER_ELEMENT[dtype];
  if (size === 0) throw new Error('string tensors have no raw byte form');
  const count = Math.floor(bytes.byteLength / size);
  const out = allocTyped(dtype, count) as Exclude<TypedData, string[]>;
  new Uint8Array(out.buffer, out.byteOffset, count * size).set(bytes.subarray(0, count * size));
  return out;
}

/** The little-endian bytes of a numeric typed array (a view, no copy). */
export function bytesOfTyped(data: Exclude<TypedData, string[]>): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Number of elements of a static shape (1 for a scalar). */
export function numElements(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}
