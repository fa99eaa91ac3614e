// Shared driver of the elementwise opset tests: runs one built graph in onnxruntime-node and in
// onnxruntime-web (wasm, in Node) and compares every output with the TypeScript reference.
// Never decides tolerances silently: callers pass atol/rtol when they differ from the defaults.
import { expect } from 'vitest';
import type { GraphBuilder } from '../../../../src/onnx/index';
import type { Feed, HostTensor } from '../../../../src/runtime/types';
import type { RefTensor } from '../../../helpers/refElementwise';
import { closeness, nodeOrt, runBuilder, wasmOrt } from '../../../helpers/ort';

export type Tolerance = { atol?: number; rtol?: number };

/** Plain numbers of any host tensor (int64 via Number, bool as 0/1). */
export function numbersOf(t: HostTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/**
 * Runs `b` on both runtimes and expects each output named in `expected` to have the reference dims,
 * the builder's inferred dtype and shape, and values within tolerance (exact for bool/int outputs).
 */
export async function expectBothRuntimes(b: GraphBuilder, feeds: Record<string, Feed>, expected: Record<string, RefTensor>, tol: Tolerance = {}): Promise<void> {
  for (const runner of [nodeOrt(), await wasmOrt()]) {
    const out = await runBuilder(b, feeds, runner);
    for (const [name, ref] of Object.entries(expected)) {
      const got = out[name];
      const where = `${name} on ${runner.backend.ep}`;
      expect(got, where).toBeDefined();
      const t = got as HostTensor;
      const inferred = b.get(name);
      expect([...t.dims], `${where} dims`).toEqual(ref.dims);
      expect([...inferred.shape], `${where} inferred shape`).toEqual(ref.dims);
      expect(t.dtype, `${where} dtype`).toBe(inferred.dtype);
      const isExact = t.dtype !== 'float32' && t.dtype !== 'float64';
      if (isExact) expect(numbersOf(t), where).toEqual(ref.data);
      else expect(closeness(numbersOf(t), ref.data, tol.atol, tol.rtol), where).toBeLessThanOrEqual(1);
    }
  }
}

/** A float32 feed and its reference twin (values rounded to float32 so both see the same numbers). */
export function f32Pair(dims: number[], data: Float32Array): { feed: HostTensor; ref: RefTensor } {
  return { feed: { dtype: 'float32', dims, data }, ref: { dims, data: Array.from(data) } };
}

/** A bool feed (ORT: Uint8Array 0/1) and its reference twin. */
export function boolPair(dims: number[], bits: number[]): { feed: HostTensor; ref: RefTensor } {
  return { feed: { dtype: 'bool', dims, data: Uint8Array.from(bits) }, ref: { dims, data: bits.map((v) => (v ? 1 : 0)) } };
}
