// safetensors: round trips for every dtype, the exact header layout of the reference writer, and a
// table of hostile files that must fail with ModelFormatError (reason + message checked).
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/lib/errors';
import { f32ToBf16Bits, f32ToF16Bits } from '../../src/lib/float16';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../src/diffusion/weights/safetensors';

const list = (d: ArrayLike<unknown> | undefined): unknown[] => Array.from(d ?? []);

/** header (object or raw string) + data → file bytes; `declared` overrides the length field. */
function build(header: unknown, data: Uint8Array = new Uint8Array(0), declared?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('writeSafetensors / readSafetensors', () => {
  it('round-trips every dtype with metadata', () => {
    const tensors: Record<string, SafeTensor> = {
      'emb.<cat1>': { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, 7]) },
      half: { dtype: 'F16', shape: [2], data: Uint16Array.from([f32ToF16Bits(0.5), f32ToF16Bits(-3)]) },
      brain: { dtype: 'BF16', shape: [1], data: Uint16Array.from([f32ToBf16Bits(2.5)]) },
      step: { dtype: 'I64', shape: [], data: BigInt64Array.from([250n]) },
      ids: { dtype: 'I32', shape: [3], data: Int32Array.from([49406, -1, 7]) },
      mask: { dtype: 'BOOL', shape: [3], data: Uint8Array.from([1, 0, 1]) },
      bytes: { dtype: 'U8', shape: [1], data: Uint8Array.from([255]) },
    };
    const file = writeSafetensors(tensors, { 'modelspec.trigger_phrase': '<cat1>', ss_seed: '1' });
    const back = readSafetensors(file);
    expect(back.metadata).toEqual({ 'modelspec.trigger_phrase': '<cat1>', ss_seed: '1' });
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name]?.dtype).toBe(t.dtype);
      expect(back.tensors[name]?.shape).toEqual(t.shape);
      expect(list(back.tensors[name]?.data)).toEqual(list(t.data));
    }
    expect(Array.from(tensorToFloat32('half', back.tensors.half as SafeTensor))).toEqual([0.5, -3]);
    expect(Array.from(tensorToFloat32('brain', back.tensors.brain as SafeTensor))).toEqual([2.5]);
    expect(() => tensorToFloat32('ids', back.tensors.ids as SafeTensor)).toThrow(/I32; a float tensor/);
  });
  it('writes the reference layout: u64 length, compact JSON padded with spaces to 8, largest dtypes first', () => {
    const file = writeSafetensors({
      b: { dtype: 'U8', shape: [1], data: Uint8Array.from([9]) },
      a: { dtype: 'F32', shape: [2], data: Float32Array.from([1, 2]) },
    });
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(file.subarray(8, 8 + n));
    expect(text.trimEnd()).toBe('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[1],"data_offsets":[8,9]}}');
    expect(text.slice(text.trimEnd().length)).toMatch(/^ {1,7}$/);
    expect(file.length).toBe(8 + n + 9);
  });
  it('returns zero-copy views when aligned and copies when the input is not', () => {
    const file = writeSafetensors({ a: { dtype: 'F32', shape: [2], data: Float32Array.from([1, 2]) } });
    expect(readSafetensors(file).tensors.a?.data.buffer).toBe(file.buffer);
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    const t = readSafetensors(shifted.subarray(1)).tensors.a;
    expect(list(t?.data)).toEqual([1, 2]);
  });
  it('refuses to write data that does not match the shape', () => {
    expect(() => writeSafetensors({ a: { dtype: 'F32', shape: [3], data: Float32Array.from([1, 2]) } })).toThrow(/shape \[3\]/);
  });
});

const f32x2 = (o: number[] = [0, 8]): unknown => ({ dtype: 'F32', shape: [2], data_offsets: o });
const HOSTILE: [string, Uint8Array, ModelFormatError['reason'], RegExp][] = [
  ['shorter than 8 bytes', Uint8Array.from([1, 2, 3]), 'truncated', /8-byte header length/],
  ['header length past the end', build({}, new Uint8Array(0), 1000n), 'truncated', /runs past the end/],
  ['header over 100 MB', build({}, new Uint8Array(0), 200_000_000n), 'limit', /over the 100000000-byte limit/],
  ['non-JSON header', build('{"a": nope}'), 'garbage', /not UTF-8 JSON/],
  ['invalid UTF-8 header', build('\u0000').map((b, i) => (i === 8 ? 0xff : b)), 'garbage', /not UTF-8 JSON/],
  ['JSON array header', build('[1,2]'), 'garbage', /must be a JSON object/],
  ['unknown dtype', build({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), 'dtype', /dtype "F8_E4M3"; supported: F64, F32/],
  ['negative dim', build({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), 'shape', /shape \[-1\]/],
  ['bad data_offsets', build({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, new Uint8Array(4)), 'garbage', /expected \[begin, end\]/],
  ['data out of range', build({ a: f32x2() }, new Uint8Array(4)), 'truncated', /ends at 8, past the 4 data bytes/],
  ['overlapping tensors', build({ a: f32x2(), b: f32x2([4, 12]) }, new Uint8Array(12)), 'garbage', /"b" starts at 4 but 8 was expected: it overlaps/],
  ['gap between tensors', build({ a: f32x2(), b: f32x2([12, 20]) }, new Uint8Array(20)), 'garbage', /leaves a gap/],
  ['trailing bytes', build({ a: f32x2() }, new Uint8Array(12)), 'garbage', /cover 8 of 12 data bytes/],
  ['end before begin', build({ a: f32x2([8, 0]) }, new Uint8Array(8)), 'garbage', /end before they begin/],
  ['shape × dtype ≠ span', build({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), 'shape', /needs 12 bytes but data_offsets span 8/],
  ['misaligned offsets', build({ u: { dtype: 'U8', shape: [2], data_offsets: [0, 2] }, a: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } }, new Uint8Array(6)), 'garbage', /begins at 2, not a multiple of its F32 size 4/],
  ['non-string metadata', build({ __metadata__: { steps: 250 } }), 'garbage', /only strings|strings only/],
];

describe('hostile files', () => {
  for (const [label, bytes, reason, message] of HOSTILE) {
    it(`rejects ${label}`, () => {
      let caught: unknown;
      try {
        readSafetensors(bytes);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ModelFormatError);
      expect((caught as ModelFormatError).reason).toBe(reason);
      expect((caught as Error).message).toMatch(message);
    });
  }
  it('keeps a "__proto__" tensor name as plain data', () => {
    const t = readSafetensors(build('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', Uint8Array.from([3])));
    expect(Object.keys(t.tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(t.tensors)).toBe(Object.prototype);
  });
});
