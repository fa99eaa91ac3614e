// Index math shared by structural op schemas (Slice, Gather, Concat, Split, …) for inference and build-time
// constant folding of small shape subgraphs. Pure: no I/O, never allocates more than the output.
// Reference: ONNX Operators.md (Slice clamping rules, Gather/Concat layouts).
import { allocTyped, numElements } from '../ir/dtype';
import type { DType, TypedData } from '../ir/types';
import { stridesOf } from './shapes';

/** One axis of a Slice after ONNX clamping: first index, step, element count. */
export type SliceRange = { start: number; step: number; count: number };

/**
 * ONNX Slice semantics for one axis of size `dim`: negative start/end count from the end; for step > 0 both
 * clamp to [0, dim], for step < 0 start clamps to [0, dim-1] and end to [-1, dim-1].
 */
export function sliceRange(dim: number, start: number, end: number, step: number): SliceRange {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    s = Math.min(Math.max(s, 0), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  const count = Math.max(0, Math.ceil((e - s) / step));
  return { start: s, step, count };
}

/**
 * A new array of `dtype` with out[flat] = src[srcOffset(multiIndex(flat))], iterating `outShape` row-major.
 * The building block for folding Slice, Gather, Tile, Pad and friends.
 */
export function pickElements(dtype: DType, src: TypedData, outShape: readonly number[], srcOffset: (idx: number[]) => number): TypedData {
  const n = numElements(outShape);
  const out = allocTyped(dtype, n) as unknown as unknown[];
  const from = src as unknown as unknown[];
  const strides = stridesOf(outShape);
  const idx = new Array<number>(outShape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    let rem = flat;
    for (let d = 0; d < outShape.length; d++) {
      const st = strides[d] as number;
      idx[d] = Math.floor(rem / st);
      rem -= (idx[d] as number) * st;
    }
    out[flat] = from[srcOffset(idx)];
  }
  return out as unknown as TypedData;
}

/** Row-major offset of a multi-index in `shape`. */
export function offsetOf(idx: readonly number[], shape: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * (shape[d] as number) + (idx[d] as number);
  return off;
}

/** Concatenates `parts` (same rank, equal dims except `axis`) along `axis`. */
export function concatData(dtype: DType, parts: { data: TypedData; shape: readonly number[] }[], axis: number): TypedData {
  const first = parts[0];
  if (!first) return allocTyped(dtype, 0);
  const outer = numElements(first.shape.slice(0, axis));
  const inner = numElements(first.shape.slice(axis + 1));
  const total = parts.reduce((s, p) => s + numElements(p.shape), 0);
  const out = allocTyped(dtype, total) as unknown as unknown[];
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = (p.shape[axis] as number) * inner;
      const from = p.data as unknown as unknown[];
      for (let k = 0; k < block; k++) out[pos++] = from[o * block + k];
    }
  }
  return out as unknown as TypedData;
}

/** Numbers of an integer tensor (int64 via Number). */
export function toNumbers(data: TypedData): number[] {
  return Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
}
