// Test helper: runs a toolkit-built model in onnxruntime-node (and optionally onnxruntime-web wasm in Node).
import { encodeModel } from '../../src/onnx/index';
import type { GraphBuilder } from '../../src/onnx/index';
import { createNodeRunner, createWasmRunnerInNode } from '../../src/runtime/node';
import type { Feed, HostTensor, Runner } from '../../src/runtime/types';

let nodeRunner: Runner | undefined;
let wasmRunner: Promise<Runner> | undefined;

export function nodeOrt(): Runner {
  nodeRunner ??= createNodeRunner({ threads: 1 });
  return nodeRunner;
}

export function wasmOrt(): Promise<Runner> {
  wasmRunner ??= createWasmRunnerInNode();
  return wasmRunner;
}

/** Builds, serializes and runs `b` once on `runner`; returns host outputs by name. */
export async function runBuilder(b: GraphBuilder, feeds: Record<string, Feed>, runner: Runner = nodeOrt()): Promise<Record<string, HostTensor>> {
  const bytes = encodeModel(b.toModel());
  const s = await runner.createSession(b.graph.name, bytes);
  try {
    return (await s.run(feeds)) as Record<string, HostTensor>;
  } finally {
    await s.dispose();
  }
}

/** Float32 host tensor. */
export function f32(dims: number[], data: ArrayLike<number>): HostTensor {
  return { dtype: 'float32', dims, data: Float32Array.from(data) };
}

/** max |a-b| / (atol + rtol·|b|) ≤ 1 elementwise; returns the worst ratio for messages. */
export function closeness(a: ArrayLike<number>, b: ArrayLike<number>, atol = 1e-5, rtol = 1e-4): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number)) / (atol + rtol * Math.abs(b[i] as number));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}
