// Shared helpers for pass tests: run an IR graph in onnxruntime-node and read float outputs.
import { encodeModel } from '../../../src/onnx/index';
import type { Graph, Model } from '../../../src/onnx/index';
import type { Feed, HostTensor } from '../../../src/runtime/types';
import { nodeOrt } from '../../helpers/ort';

/** Wraps `graph` in a model at `opset` (default 17). */
export function modelOf(graph: Graph, opset = 17): Model {
  return { irVersion: 8, opsetImports: [{ domain: '', version: opset }], producerName: 'test', producerVersion: '0', domain: '', modelVersion: 1, docString: '', graph, metadata: {} };
}

/** Runs `graph` once on onnxruntime-node; returns every output's data as a plain number array. */
export async function runGraph(graph: Graph, feeds: Record<string, Feed>, opset = 17): Promise<Record<string, number[]>> {
  const s = await nodeOrt().createSession(graph.name, encodeModel(modelOf(graph, opset)));
  try {
    const out = await s.run(feeds);
    const res: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(out)) res[k] = Array.from((v as HostTensor).data as ArrayLike<number | bigint>, Number);
    return res;
  } finally {
    await s.dispose();
  }
}
