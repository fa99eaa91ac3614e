// Test harness for the NN/structural opset: runs one built graph in onnxruntime-node AND onnxruntime-web wasm
// (in Node) and compares every output with a refNn.ts reference, shape and values. No assertions of timing.
import { expect } from 'vitest';
import type { GraphBuilder } from '../../../../src/onnx/index';
import type { Feed, HostTensor, Runner } from '../../../../src/runtime/types';
import { closeness, nodeOrt, runBuilder, wasmOrt } from '../../../helpers/ort';
import type { Nd } from '../../../helpers/refNn';

export type Tolerance = { atol?: number; rtol?: number };

/** Float32 feed from a reference tensor. */
export function feed(x: Nd): HostTensor {
  return { dtype: 'float32', dims: [...x.shape], data: Float32Array.from(x.data) };
}

/** int64 feed. */
export function feedI64(x: Nd): HostTensor {
  return { dtype: 'int64', dims: [...x.shape], data: BigInt64Array.from(x.data, (v) => BigInt(v)) };
}

/** Runs `b` on both runtimes; every `expected` output must match in dims and values. */
export async function expectBothRuntimes(b: GraphBuilder, feeds: Record<string, Feed>, expected: Record<string, Nd>, tol: Tolerance = {}): Promise<void> {
  for (const [name, want] of Object.entries(expected)) expect(b.get(name).shape, `inferred shape of ${name}`).toEqual(want.shape);
  const runners: [string, Runner][] = [['onnxruntime-node', nodeOrt()], ['onnxruntime-web wasm', await wasmOrt()]];
  for (const [label, runner] of runners) {
    const out = await runBuilder(b, feeds, runner);
    for (const [name, want] of Object.entries(expected)) {
      const got = out[name] as HostTensor | undefined;
      expect(got, `${label}: output ${name}`).toBeDefined();
      expect(got?.dims, `${label}: dims of ${name}`).toEqual(want.shape);
      const values = Array.from(got?.data as ArrayLike<number | bigint>, (v) => Number(v));
      expect(closeness(values, want.data, tol.atol ?? 1e-5, tol.rtol ?? 1e-4), `${label}: values of ${name}`).toBeLessThanOrEqual(1);
    }
  }
}
