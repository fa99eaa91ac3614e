// TrainingSession on a linear model: the fused session equals a host-driven loop of the bare backward and
// AdamW graphs; accumulation over two half batches equals one full batch; the NaN guard; argument errors.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { Rng } from '../../../src/lib/random';
import { buildAdamWGraph, encodeModel, modelOf } from '../../../src/onnx/index';
import type { Graph } from '../../../src/onnx/index';
import type { HostTensor, Runner } from '../../../src/runtime/types';
import { TrainingSession } from '../../../src/train/engine/trainStep';
import { closeness, nodeOrt, wasmOrt } from '../../helpers/ort';
import { linearData, linearModel, rows, tensor } from './models';

const ADAMW = { kind: 'adamw' as const, lr: 0.05, weightDecay: 0.01, maxGradNorm: 5 };

async function session(graph: Graph) {
  const model = modelOf(graph, { producerName: 't' });
  return nodeOrt().createSession(graph.name, encodeModel(model));
}

/** The oracle: backward graph and AdamW graph run separately, every value round-tripping through the host. */
async function hostLoop(batches: { x: HostTensor; y: HostTensor }[]): Promise<Record<string, HostTensor>> {
  const bw = linearModel(8);
  const backward = await session({ ...bw.graph, inputs: [...bw.graph.inputs, { name: 'W', dtype: 'float32', shape: [3, 1] }, { name: 'c', dtype: 'float32', shape: [1] }], initializers: bw.graph.initializers.filter((t) => t.name !== 'W' && t.name !== 'c') });
  const update = await session(buildAdamWGraph([{ name: 'W', shape: [3, 1] }, { name: 'c', shape: [1] }], { weightDecay: 0.01, maxGradNorm: 5 }).graph);
  let s: Record<string, HostTensor> = {
    W: tensor([3, 1], Float32Array.of(0.1, -0.2, 0.3)), c: tensor([1], Float32Array.of(0)),
    'm/W': tensor([3, 1], new Float32Array(3)), 'v/W': tensor([3, 1], new Float32Array(3)), 'm/c': tensor([1], new Float32Array(1)), 'v/c': tensor([1], new Float32Array(1)),
  };
  for (const [t, batch] of batches.entries()) {
    const g = (await backward.run({ ...batch, W: s.W as HostTensor, c: s.c as HostTensor })) as Record<string, HostTensor>;
    const out = (await update.run({ ...s, 'grad/W': g['grad/W'] as HostTensor, 'grad/c': g['grad/c'] as HostTensor, lr: tensor([], Float32Array.of(0.05)), step: tensor([], Float32Array.of(t + 1)) })) as Record<string, HostTensor>;
    s = Object.fromEntries(Object.keys(s).map((k) => [k, out[`${k}/next`] as HostTensor]));
  }
  await backward.dispose();
  await update.dispose();
  return s;
}

describe('when stepping a fused training session', () => {
  it('matches the host-driven backward + AdamW loop after 6 steps and counts them', async () => {
    const rng = new Rng(1);
    const batches = Array.from({ length: 6 }, () => linearData(rng, 8));
    const ts = await TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: { W: undefined, c: undefined }, optimizer: ADAMW });
    const losses: number[] = [];
    for (const batch of batches) losses.push((await ts.step(batch)).loss);
    const got = await ts.readParams();
    const want = await hostLoop(batches);
    expect(ts.stepCount).toBe(6);
    expect(closeness(got.W?.data as Float32Array, want.W?.data as Float32Array, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    expect(closeness(got.c?.data as Float32Array, want.c?.data as Float32Array, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    await ts.dispose();
  });
});

describe('when accumulating two micro-batches per step', () => {
  it('reaches the same parameters as one full batch per step (mean loss, equal halves)', async () => {
    const rng = new Rng(2);
    const batches = Array.from({ length: 4 }, () => linearData(rng, 8));
    const full = await TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: { W: undefined, c: undefined }, optimizer: ADAMW });
    const halves = await TrainingSession.create({ runner: nodeOrt(), backward: linearModel(4), trainable: { W: undefined, c: undefined }, optimizer: ADAMW, accumulationSteps: 2 });
    for (const b of batches) {
      const f = await full.step(b);
      const h = await halves.step({ x: rows(b.x, 0, 4), y: rows(b.y, 0, 4) }, { x: rows(b.x, 4, 8), y: rows(b.y, 4, 8) });
      expect(h.losses).toHaveLength(2);
      expect(h.loss).toBeCloseTo(f.loss, 5);
      expect(h.gradNorm).toBeCloseTo(f.gradNorm, 5);
    }
    const a = await full.readParams();
    const b = await halves.readParams();
    expect(closeness(b.W?.data as Float32Array, a.W?.data as Float32Array, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    expect(halves.stepCount).toBe(4);
    await full.dispose();
    await halves.dispose();
  });
});

describe('when a batch produces non-finite gradients', () => {
  it('skips the step, keeps the parameters, reports it, and trains normally afterwards', async () => {
    const rng = new Rng(3);
    const ts = await TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: { W: undefined, c: undefined }, optimizer: ADAMW });
    await ts.step(linearData(rng, 8));
    const before = await ts.readParams();
    const bad = linearData(rng, 8);
    (bad.x.data as Float32Array)[5] = Number.NaN;
    const r = await ts.step(bad);
    expect(r.skipped).toBe(true);
    expect(r.stepCount).toBe(1);
    expect(Array.from((await ts.readParams()).W?.data as Float32Array)).toEqual(Array.from(before.W?.data as Float32Array));
    const ok = await ts.step(linearData(rng, 8));
    expect(ok.skipped).toBe(false);
    expect(ok.stepCount).toBe(2);
    await ts.dispose();
  });
});

describe('when the runner is onnxruntime-web (wasm) in Node', () => {
  it('reaches the same parameters as the onnxruntime-node runner after 3 steps', async () => {
    const batches = Array.from({ length: 3 }, (_, i) => linearData(new Rng(10 + i), 8));
    const make = async (runner: Runner) => TrainingSession.create({ runner, backward: linearModel(8), trainable: { W: undefined, c: undefined }, optimizer: ADAMW });
    const [node, wasm] = [await make(nodeOrt()), await make(await wasmOrt())];
    for (const b of batches) {
      await node.step(b);
      await wasm.step(b);
    }
    const [a, w] = [await node.readParams(), await wasm.readParams()];
    expect(closeness(w.W?.data as Float32Array, a.W?.data as Float32Array, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    await node.dispose();
    await wasm.dispose();
  });
});

describe('when the learning rate is a schedule', () => {
  it('calls it with the 1-based step; lr 0 leaves the parameters exactly unchanged', async () => {
    const seen: number[] = [];
    const lr = (t: number) => (seen.push(t), 0);
    const ts = await TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: { W: undefined, c: undefined }, optimizer: { ...ADAMW, lr } });
    const rng = new Rng(6);
    for (let i = 0; i < 3; i++) await ts.step(linearData(rng, 8));
    expect(seen).toEqual([1, 2, 3]);
    expect(Array.from((await ts.readParams()).W?.data as Float32Array)).toEqual(Array.from(Float32Array.of(0.1, -0.2, 0.3)));
    await ts.dispose();
  });
});

describe('when used wrongly', () => {
  it('names the wrong micro-batch count, fed state, and a trainable without gradient', async () => {
    const rng = new Rng(4);
    const ts = await TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: { W: undefined, c: undefined }, optimizer: ADAMW });
    const d = linearData(rng, 8);
    await expect(ts.step(d, d)).rejects.toThrow(/got 2 micro-batch feed record\(s\), accumulationSteps is 1/);
    await expect(ts.step({ ...d, W: tensor([3, 1], new Float32Array(3)) })).rejects.toThrow(/feeds W are parameters or optimizer state/);
    await ts.dispose();
    await expect(ts.step(d)).rejects.toThrow(GraphError);
    await expect(TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: { x: undefined }, optimizer: ADAMW })).rejects.toThrow(/"x" has no gradient output/);
  });
});
