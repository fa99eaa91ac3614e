// Per-op-type kernel time of one graph in onnxruntime-node (its built-in profiler), for `--profile` of the
// train-step benchmark: shows which ops dominate forward vs forward+backward. Tool code; writes only a
// temporary profile file under the OS temp folder and deletes it.
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeModel, modelOf } from '../../src/onnx/index';
import type { Graph } from '../../src/onnx/index';
import type { HostTensor } from '../../src/runtime/types';

type ProfileEvent = { cat: string; name: string; dur: number; args?: { op_name?: string } };

/** op type → mean kernel microseconds per run, the `top` largest, plus the total. */
export async function profileOps(graph: Graph, feeds: Record<string, HostTensor>, threads: number, runs: number, top = 8): Promise<Record<string, number>> {
  const model = modelOf(graph, { producerName: 'bench' });
  const prefix = `disenstudio_profile_${process.pid}_${graph.name}`;
  const session = await ort.InferenceSession.create(encodeModel(model), {
    intraOpNumThreads: threads, graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: join(tmpdir(), prefix),
  });
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', t.data as Float32Array, t.dims)]));
  for (let i = 0; i < runs; i++) await session.run(ortFeeds);
  session.endProfiling();
  await session.release();
  const files = readdirSync(tmpdir()).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
  const byOp = new Map<string, number>();
  for (const f of files) {
    const events = JSON.parse(readFileSync(join(tmpdir(), f), 'utf8')) as ProfileEvent[];
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const opType = e.args?.op_name ?? '?';
      byOp.set(opType, (byOp.get(opType) ?? 0) + e.dur / runs);
    }
    unlinkSync(join(tmpdir(), f));
  }
  const sorted = [...byOp].sort((a, b) => b[1] - a[1]);
  const total = sorted.reduce((s, [, v]) => s + v, 0);
  return { totalUs: Math.round(total), ...Object.fromEntries(sorted.slice(0, top).map(([k, v]) => [`${k}Us`, Math.round(v)])) };
}
