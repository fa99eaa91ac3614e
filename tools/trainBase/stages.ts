// The two stages of npm run train:base, on the project's own engine (TrainingSession: fused forward + backward
// + AdamW in onnxruntime-node): A = AutoencoderKL on rendered scenes, B = text encoder + UNet on VAE latents of
// fresh scenes or of a sliding scene pool (state.pool, pool.ts) (Min-SNR-weighted ε-MSE, optionally object-weighted
// (state.objectWeight), BASE_COUNT_WEIGHTS object counts, caption dropout 10%). Checkpoints every `checkpointEvery` steps. Reference: src/train/base.
import { MapWeights } from '../../src/onnx/index';
import type { HostTensor, Runner } from '../../src/runtime/index';
import { buildDecoderTrainGraph, buildDenoiserTrainGraph, buildVaeTrainGraph } from '../../src/train/base/graphs';
import type { BaseTrainGraph } from '../../src/train/base/graphs';
import { batchRng, baseTokenizer, captionIds, sceneBatch } from '../../src/train/base/data';
import { BASE_COUNT_WEIGHTS, BASE_LATENT, BASE_VAE } from '../../src/train/base/config';
import { TrainingSession } from '../../src/train/engine/trainStep';
import type { BatchFeeds } from '../../src/train/engine/types';
import { loadOptimizer, saveOptimizer } from './checkpoint';
import type { OptimizerStage, Params, RunState } from './checkpoint';
import { VaeEncoderSession } from './encode';
import { POOL_REFRESH, ScenePool, stackSamples } from './pool';
import { Progress } from './progress';

/** `minutes`: a wall-clock budget for this stage; the planned step count is cut to fit it (re-planned at 30 and 200 steps).
 * `dir`: the checkpoint folder; the stage's AdamW state is saved there with every checkpoint and restored on resume. */
export type StageOptions = { runner: Runner; batch: number; lr: number; checkpointEvery: number; save: () => void; signal?: AbortSignal; minutes?: number; dir?: string };

const f32 = (dims: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', dims, data });
/** Latent tensor dims [B, C, 16, 16] and their element count. */
const latentDims = (batch: number): { dims: number[]; size: number } => ({ dims: [batch, BASE_VAE.latent_channels, BASE_LATENT, BASE_LATENT], size: batch * BASE_VAE.latent_channels * BASE_LATENT * BASE_LATENT });

/** Linear warm-up over 50 steps, then cosine decay to 10% of `peak` at `total`. */
export function baseLearningRate(peak: number, total: number): (step: number) => number {
  return (step) => {
    if (step <= 50) return (peak * step) / 50;
    const t = Math.min(1, (step - 50) / Math.max(1, total - 50));
    return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * t)));
  };
}

export type Loop = { graph: BaseTrainGraph; params: Params; done: number; total: number; decayEnd?: number; label: string; stage: OptimizerStage; feeds: (i: number) => Promise<BatchFeeds>; onLoss: (loss: number, seconds: number, terms: Record<string, number>) => void; onPlan: (total: number) => void };

/** Cuts `total` so that the remaining steps fit before `deadline` (ms) at the pace measured since step `from`. */
function fitToDeadline(total: number, step: number, from: { step: number; at: number }, deadline: number): number {
  const pace = (performance.now() - from.at) / Math.max(1, step - from.step);
  return Math.max(step + 1, Math.min(total, step + Math.floor((deadline - performance.now()) / pace)));
}

/** Steps `loop` from `done` to `total`, copying parameters back into `params` at each checkpoint and at the end. */
export async function runLoop(o: StageOptions, l: Loop): Promise<number> {
  const trainable: Record<string, HostTensor | undefined> = {};
  for (const p of l.graph.params) {
    const saved = l.params[p.part].get(p.name);
    trainable[p.graphName] = saved ? f32(p.shape, saved) : undefined;
  }
  let total = l.total;
  // AdamW state saved with the parameters at this very step continues exactly (Adam's t included); otherwise the
  // moments restart at t = 0 and the learning-rate schedule still continues from the stage step.
  const saved = o.dir ? loadOptimizer(o.dir, l.stage) : undefined;
  const resumed = saved && saved.done === l.done && l.done > 0 ? saved : undefined;
  if (l.done > 0) process.stderr.write(`[${l.label}] ${resumed ? `AdamW state restored (t = ${resumed.t})` : 'AdamW moments restart (no optimizer state saved at this step)'}\n`);
  const offset = l.done - (resumed?.t ?? 0);
  const deadline = o.minutes === undefined ? undefined : performance.now() + o.minutes * 60_000;
  const session = await TrainingSession.create({ runner: o.runner, backward: l.graph.backward, trainable, optimizer: { kind: 'adamw', lr: (s) => baseLearningRate(o.lr, Math.min(l.decayEnd ?? total, total))(s + offset), weightDecay: 0.01, maxGradNorm: 1 }, name: l.label });
  if (resumed) {
    const slots = Object.fromEntries(Object.entries(resumed.slots).map(([k, t]) => [k, f32(t.dims, t.data)]));
    await session.restore({ stepCount: resumed.t, params: await session.readParams(), slots });
  }
  const bar = new Progress(l.label, l.done, l.total);
  const copyBack = async (): Promise<void> => {
    const state = await session.readState();
    for (const p of l.graph.params) l.params[p.part].set(p.name, (state.params[p.graphName] as HostTensor).data as Float32Array);
    if (o.dir) {
      const slots = Object.fromEntries(Object.entries(state.slots).map(([k, t]) => [k, { dims: t.dims, data: t.data as Float32Array }]));
      saveOptimizer(o.dir, l.stage, { t: state.stepCount, done: state.stepCount + offset, slots });
    }
  };
  let step = l.done;
  let paceFrom = { step, at: performance.now() };
  // The next batch is rendered and encoded while onnxruntime runs the current step (its threads are native).
  let pending: Promise<BatchFeeds> | undefined;
  let last = performance.now();
  try {
    pending = step < total ? l.feeds(step) : undefined;
    while (step < total && !o.signal?.aborted && pending) {
      const run = session.step(await pending);
      pending = step + 1 < total ? l.feeds(step + 1) : undefined;
      const r = await run;
      step += 1;
      if (deadline !== undefined && step - l.done === 10) paceFrom = { step, at: performance.now() };
      if (deadline !== undefined && (step - l.done === 30 || step - l.done === 200)) {
        total = fitToDeadline(total, step, paceFrom, deadline);
        l.onPlan(total);
        bar.retarget(total);
      }
      const now = performance.now();
      l.onLoss(r.loss, (now - last) / 1000, r.terms);
      last = now;
      bar.tick(step, r.loss);
      if (step % o.checkpointEvery === 0 && step < total) {
        await copyBack();
        o.save();
      }
    }
    await copyBack();
  } finally {
    bar.end();
    await pending?.catch(() => undefined);
    await session.dispose();
  }
  return step;
}

/** Stage A: VAE reconstruction. Updates state.vaeDone / vaeLoss / vaeSeconds and params.vae. */
export async function trainVae(o: StageOptions, state: RunState, params: Params): Promise<void> {
  if (state.vaeDone >= state.vaeSteps) return;
  const graph = buildVaeTrainGraph(o.batch, { seed: state.seed });
  const lat = latentDims(o.batch);
  state.vaeDone = await runLoop(o, {
    graph, params, done: state.vaeDone, total: state.vaeSteps, label: 'A vae', stage: 'vae',
    feeds: async (i) => {
      const rng = batchRng(state.seed, 0, i);
      const { pixels } = sceneBatch(rng, o.batch);
      return { sample: f32([o.batch, 3, 64, 64], pixels), noise: f32(lat.dims, rng.normalArray(lat.size, 1)) };
    },
    onPlan: (total) => (state.vaeSteps = total),
    onLoss: (loss, s) => {
      state.vaeLoss.push(loss);
      state.vaeSeconds += s;
      state.vaeDone += 1;
    },
  });
}

/** Stage A′: the decoder alone on the frozen encoder's posterior means (stream 3). Updates state.decoder* and params.vae. */
export async function trainDecoder(o: StageOptions, state: RunState, params: Params): Promise<void> {
  state.decoderDone ??= 0;
  state.decoderLoss ??= [];
  state.decoderSeconds ??= 0;
  if (state.decoderDone >= (state.decoderSteps ?? 0)) return;
  const encoder = await VaeEncoderSession.create(o.runner, new MapWeights(params.vae), o.batch);
  const lat = latentDims(o.batch).dims;
  try {
    state.decoderDone = await runLoop(o, {
      graph: buildDecoderTrainGraph(o.batch, { seed: state.seed }), params, done: state.decoderDone, total: state.decoderSteps ?? 0, label: "A' decoder", stage: 'decoder',
      feeds: async (i) => {
        const { pixels } = sceneBatch(batchRng(state.seed, 3, i), o.batch);
        return { latent_sample: f32(lat, await encoder.encodeMean(pixels)), target: f32([o.batch, 3, 64, 64], pixels) };
      },
      onPlan: (total) => (state.decoderSteps = total),
      onLoss: (loss, s) => {
        state.decoderLoss!.push(loss);
        state.decoderSeconds! += s;
        state.decoderDone! += 1;
      },
    });
  } finally {
    await encoder.dispose();
  }
}

/** Stage B: text encoder + UNet. Needs the trained VAE (params.vae) and state.scalingFactor. */
export async function trainDenoiser(o: StageOptions, state: RunState, params: Params): Promise<void> {
  if (state.unetDone >= state.unetSteps) return;
  const pooled = (state.pool ?? 0) > 0;
  const encoder = await VaeEncoderSession.create(o.runner, new MapWeights(params.vae), pooled ? POOL_REFRESH : o.batch);
  const scaled = async (pixels: Float32Array): Promise<Float32Array> => (await encoder.encodeMean(pixels)).map((v) => v * state.scalingFactor);
  const pool = pooled ? new ScenePool(scaled, state.seed, state.pool as number) : undefined;
  const tok = baseTokenizer();
  const alpha = state.objectWeight ?? 0;
  const graph = buildDenoiserTrainGraph(o.batch, { seed: state.seed }, alpha > 0);
  const { dims: lat, size: n } = latentDims(o.batch);
  try {
    state.unetDone = await runLoop(o, {
      graph, params, done: state.unetDone, total: state.unetSteps, decayEnd: state.unetDecayEnd, label: 'B unet', stage: 'unet',
      feeds: async (i) => {
        const rng = batchRng(state.seed, 1, i);
        let data: { latents: Float32Array; objects: Float32Array; captions: string[] };
        if (pool) data = stackSamples(await pool.draw(i, o.batch, rng));
        else {
          const { pixels, captions, objects } = sceneBatch(rng, o.batch, BASE_COUNT_WEIGHTS);
          data = { latents: await scaled(pixels), objects, captions };
        }
        const timestep = Float32Array.from({ length: o.batch }, () => rng.int(0, 999));
        return {
          latents: f32(lat, data.latents), noise: f32(lat, rng.normalArray(n, 1)), timestep: f32([o.batch], timestep),
          input_ids: { dtype: 'int32', dims: [o.batch, 32], data: captionIds(tok, data.captions, rng, 0.1) },
          ...(alpha > 0 ? { loss_weight: f32([o.batch, 1, BASE_LATENT, BASE_LATENT], data.objects.map((m) => 1 + alpha * m)) } : {}),
        };
      },
      onPlan: (total) => (state.unetSteps = total),
      onLoss: (loss, s) => {
        state.unetLoss.push(loss);
        state.unetSeconds += s;
        state.unetDone += 1;
      },
    });
  } finally {
    await encoder.dispose();
  }
}
