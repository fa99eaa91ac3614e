// Activation recomputation (src/onnx/autodiff/recompute.ts) changes where forward values come from, never the
// gradients: on onnxruntime-node's CPU EP every output of the gradient graph is bit-identical with and without
// recomputation, on the small UNet-like benchmark net (conv, SiLU, self-attention, upsample, skip concat) and on
// the default model's DisenDiff training graph (TINY_UNET, 16×16 latents, batch 2). The planner replays the
// rewritten graph: recomputation lowers the predicted activation peak of the training step.
import { describe, expect, it } from 'vitest';
import { buildGradientGraph, encodeModel, GraphBuilder, RECOMPUTE_SCOPE, TINY_CLIP_TEXT, TINY_UNET } from '../../src/onnx/index';
import type { Graph, Node } from '../../src/onnx/index';
import { Rng } from '../../src/lib/random';
import type { HostTensor } from '../../src/runtime/types';
import { buildTrainGraph, DISENDIFF_DEFAULTS, graphCandidates, stepGraph } from '../../src/train/index';
import type { RecomputeGranularity } from '../../src/train/index';
import { buildUnetLike } from '../../tools/bench/unetLike';
import { nodeOrt } from '../helpers/ort';

async function runGraph(graph: Graph, feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
  const s = await nodeOrt().createSession(graph.name, encodeModel(GraphBuilder.fromGraph(graph).toModel()));
  try {
    return (await s.run(feeds)) as Record<string, HostTensor>;
  } finally {
    await s.dispose();
  }
}

function seededFeeds(graph: Graph, seed: number): Record<string, HostTensor> {
  const rng = new Rng(seed);
  const feeds: Record<string, HostTensor> = {};
  for (const v of graph.inputs) {
    const dims = v.shape as number[];
    const n = dims.reduce((a, d) => a * d, 1);
    if (v.dtype === 'int32') feeds[v.name] = { dtype: 'int32', dims, data: Int32Array.from({ length: n }, (_, i) => (i * 7) % 20) };
    else if (v.name === 'timestep') feeds[v.name] = { dtype: 'float32', dims, data: Float32Array.from({ length: n }, () => rng.int(0, 999)) };
    else feeds[v.name] = { dtype: 'float32', dims, data: Float32Array.from({ length: n }, () => rng.normal() * 0.5) };
  }
  return feeds;
}

/** Number of elements whose float32 bits differ between two runs' outputs (same names). */
function bitDifferences(a: Record<string, HostTensor>, b: Record<string, HostTensor>): number {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  let d = 0;
  for (const k of Object.keys(a)) {
    const x = new Uint32Array((a[k]?.data as Float32Array).buffer.slice(0));
    const y = new Uint32Array((b[k]?.data as Float32Array).buffer.slice(0));
    expect(y.length, k).toBe(x.length);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) d++;
  }
  return d;
}

const isRecompute = (n: Node): boolean => n.name.startsWith(`${RECOMPUTE_SCOPE}/`);

describe('activation recomputation', () => {
  it('gives bit-identical gradients on the UNet-like net (one segment per named scope)', async () => {
    const net = buildUnetLike({ batch: 2, inCh: 4, size: 8, ch: 8, midCh: 16 }, 5);
    const segmentOf = (n: Node): string | undefined => (n.name.includes('/') ? n.name.slice(0, n.name.indexOf('/')) : undefined);
    const plain = buildGradientGraph(net.graph, { loss: net.loss, wrt: net.params });
    const rc = buildGradientGraph(net.graph, { loss: net.loss, wrt: net.params, recompute: segmentOf });
    expect(rc.graph.nodes.filter(isRecompute).length).toBeGreaterThan(5);
    // the attention block's backward reads recomputed probabilities, never the forward's Softmax output
    const softmax = rc.graph.nodes.find((n) => n.opType === 'Softmax' && !isRecompute(n));
    expect(softmax).toBeDefined();
    const readers = rc.graph.nodes.filter((n) => n.inputs.includes(softmax?.outputs[0] ?? ''));
    expect(readers.every((n) => !n.name.startsWith('grad/'))).toBe(true);
    const feeds = seededFeeds(net.graph, 11);
    expect(bitDifferences(await runGraph(plain.graph, feeds), await runGraph(rc.graph, feeds))).toBe(0);
  });

  for (const granularity of ['layers'] as RecomputeGranularity[]) {
    it(`gives bit-identical loss, terms and gradients on the DisenDiff training graph (${granularity})`, async () => {
      const build = (recompute?: RecomputeGranularity) =>
        buildTrainGraph({ unet: TINY_UNET, text: TINY_CLIP_TEXT, concepts: 2, batch: 2, height: 16, width: 16, seqLen: 12, seed: 3, config: DISENDIFF_DEFAULTS, recompute });
      const plain = build();
      const rc = build(granularity);
      expect(rc.backward.graph.nodes.filter(isRecompute).length).toBeGreaterThan(50);
      const feeds = seededFeeds(plain.backward.graph, 4);
      const a = await runGraph(plain.backward.graph, feeds);
      const b = await runGraph(rc.backward.graph, feeds);
      expect(Object.keys(a).length).toBe(plain.trainable.length + plain.terms.length + 1);
      expect(bitDifferences(a, b)).toBe(0);
      const peak = (tg: typeof plain) => (graphCandidates({ graph: stepGraph(tg), trainable: tg.trainable, resolution: 128, batch: 2 }).find((c) => c.kind === 'full')?.breakdown.activations ?? 0);
      expect(peak(rc)).toBeLessThan(peak(plain));
    }, 120_000);
  }
});
