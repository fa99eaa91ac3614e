// Shared helpers for pass tests: run an IR graph in onnxruntime-node and read float outputs.
import { encodeModel, modelOf } from '../../../src/onnx/index';
import type { Graph } from '../../../src/onnx/index';
import type { Feed, HostTensor } from '../../../src/runtime/types';
import { nodeOrt } from '../../helpers/ort';

export { modelOf };

/** Runs `graph` once on onnxruntime-node; returns every output's data as a plain number array. */
export async function runGraph(graph: Graph, feeds: Record<string, Feed>, opset = 17): Promise<Record<string, number[]>> {
  const s = await nodeOrt().createSession(graph.name, encodeModel(modelOf(graph, { producerName: 'test', opset })));
  try {
    const out = await s.run(feeds);
    const res: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(out)) res[k] = Array.from((v as HostTensor).data as ArrayLike<number | bigint>, Number);
    return res;
  } finally {
    await s.dispose();
  }
}
