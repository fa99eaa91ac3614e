// The order in which onnxruntime-node's CPU EP actually runs a graph's kernels (its built-in profiler, graph
// optimizations off so every node survives), to check the memory planner's replay of ORT's execution order.
// Tool code; writes only a temporary profile file under the OS temp folder and deletes it.
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeModel, modelOf } from '../../src/onnx/index';
import type { Graph } from '../../src/onnx/index';

type ProfileEvent = { cat: string; name: string; ts: number };

function feedsFor(graph: Graph): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const v of graph.inputs) {
    const dims = v.shape as number[];
    const n = dims.reduce((a, d) => a * d, 1);
    if (v.dtype === 'int32') feeds[v.name] = new ort.Tensor('int32', new Int32Array(n), dims);
    else feeds[v.name] = new ort.Tensor('float32', new Float32Array(n).fill(v.name === 'timestep' ? 10 : 0.01), dims);
  }
  return feeds;
}

/** Node names in the order ORT ran their kernels in one run (inputs: zeros / 0.01, timestep 10). */
export async function ortRunOrder(graph: Graph): Promise<string[]> {
  const model = modelOf(graph, { producerName: 'order' });
  const prefix = `disenstudio_order_${process.pid}_${graph.name.replace(/\W/g, '_')}`;
  const session = await ort.InferenceSession.create(encodeModel(model), {
    executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'disabled', enableProfiling: true, profileFilePrefix: join(tmpdir(), prefix),
  });
  await session.run(feedsFor(graph));
  session.endProfiling();
  await session.release();
  const events: ProfileEvent[] = [];
  for (const f of readdirSync(tmpdir()).filter((x) => x.startsWith(prefix) && x.endsWith('.json'))) {
    events.push(...(JSON.parse(readFileSync(join(tmpdir(), f), 'utf8')) as ProfileEvent[]));
    unlinkSync(join(tmpdir(), f));
  }
  return events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time')).sort((a, b) => a.ts - b.ts).map((e) => e.name.slice(0, -'_kernel_time'.length));
}
