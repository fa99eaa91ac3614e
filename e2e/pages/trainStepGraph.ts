// Shared by the browser page and its spec: a small conv + attention net, its backward graph
// (buildGradientGraph) and an AdamW update composed into ONE training-step graph, plus seeded feeds.
// Pure toolkit code (no onnxruntime): the page runs it on WebGPU/wasm, the spec on onnxruntime-node.
import { Rng } from '../../src/lib/random';
import { buildAdamWGraph, buildGradientGraph, composeGraphs, encodeModel, GraphBuilder, nextName, op } from '../../src/onnx/index';

export type F32 = { dims: number[]; data: Float32Array };
export const PARAMS: Record<string, number[]> = { 'conv.weight': [4, 2, 3, 3], 'q.weight': [4, 4], 'k.weight': [3, 4], 'head.weight': [4, 2] };

/** The backward graph alone (loss + grad/<param>), for checking gradients before the update. */
export function buildBackwardModel(): Uint8Array {
  const { b, backward } = buildBackward();
  return encodeModel({ ...b.toModel(), graph: backward.graph });
}

/** Builds the fused step graph; params are graph inputs so their next values can be fed back. */
export function buildTrainStepModel(): Uint8Array {
  const { b, backward } = buildBackward();
  const adamw = buildAdamWGraph(Object.entries(PARAMS).map(([name, shape]) => ({ name, shape })), { weightDecay: 0.01 });
  const fused = composeGraphs(backward.graph, adamw.graph, { name: 'train-step', prefix: 'update', keepFirstOutputs: ['loss'] });
  return encodeModel({ ...b.toModel(), graph: fused });
}

function buildBackward(): { b: GraphBuilder; backward: ReturnType<typeof buildGradientGraph> } {
  const b = new GraphBuilder('train-step-check');
  const x = b.input('x', 'float32', [2, 2, 4, 4]);
  const ctx = b.input('ctx', 'float32', [2, 5, 3]);
  const target = b.input('target', 'float32', [2, 16, 2]);
  const p = Object.fromEntries(Object.entries(PARAMS).map(([n, s]) => [n, b.input(n, 'float32', s)]));
  const h = b.scope('conv', () => op.Sigmoid(op.Conv(x, p['conv.weight']!, undefined, { pads: [1, 1, 1, 1] })));
  const tokens = op.Transpose(op.Reshape(h, [2, 4, 16]), [0, 2, 1]); // [2, 16, 4]
  const attn = b.scope('attn', () => {
    const q = op.MatMul(tokens, p['q.weight']!); // [2, 16, 4]
    const k = op.MatMul(ctx, p['k.weight']!); // [2, 5, 4]
    const probs = op.Softmax(op.MatMul(q, op.Transpose(k, [0, 2, 1])), -1); // [2, 16, 5]
    return op.MatMul(probs, k); // [2, 16, 4]
  });
  const y = op.MatMul(op.Add(tokens, attn), p['head.weight']!);
  const diff = op.Sub(y, target);
  b.output(op.ReduceMean(op.Mul(diff, diff), [0, 1, 2], false), 'loss');
  return { b, backward: buildGradientGraph(b.graph, { loss: 'loss', wrt: Object.keys(PARAMS) }) };
}

/** Seeded initial parameters, zero moments, and the fixed batch. */
export function initialFeeds(): { state: Record<string, F32>; batch: Record<string, F32> } {
  const rng = new Rng(42);
  const t = (dims: number[], std: number): F32 => ({ dims, data: rng.normalArray(dims.reduce((a, d) => a * d, 1), std) });
  const state: Record<string, F32> = {};
  for (const [n, s] of Object.entries(PARAMS)) {
    state[n] = t(s, 0.4);
    state[`m/${n}`] = { dims: s, data: new Float32Array(state[n]!.data.length) };
    state[`v/${n}`] = { dims: s, data: new Float32Array(state[n]!.data.length) };
  }
  const batch = { x: t([2, 2, 4, 4], 1), ctx: t([2, 5, 3], 1), target: t([2, 16, 2], 1) };
  return { state, batch };
}

/** Runs `steps` AdamW steps with `run` (any runtime), feeding every `<name>/next` output back as `<name>`. */
export async function trainSteps(run: (feeds: Record<string, F32>) => Promise<Record<string, F32>>, steps: number): Promise<{ losses: number[]; params: Record<string, number[]> }> {
  const { state, batch } = initialFeeds();
  const losses: number[] = [];
  for (let s = 1; s <= steps; s++) {
    const out = await run({ ...state, ...batch, lr: { dims: [], data: Float32Array.of(0.05) }, step: { dims: [], data: Float32Array.of(s) } });
    losses.push(out.loss!.data[0]!);
    for (const name of Object.keys(state)) state[name] = out[nextName(name)]!;
  }
  return { losses, params: Object.fromEntries(Object.keys(PARAMS).map((n) => [n, Array.from(state[n]!.data)])) };
}
