// The two training stages of the default model on an injected Runner: stage A trains the VAE, stage B the
// text encoder + UNet on latents of a pre-encoded scene pool. Both step TrainingSession (fused forward +
// backward + AdamW). No I/O: progress and checkpoints go to callbacks. Reference: train/engine/CONTEXT.md.
import { Rng } from '../../lib/random';
import { buildVaeEncoder, encodeModel, MapWeights, RandomWeights } from '../../onnx/index';
import type { WeightSource } from '../../onnx/index';
import type { HostTensor, Runner } from '../../runtime/index';
import { TrainingSession } from '../engine/trainStep';
import { baseTokenizer, captionIds, sceneBatch } from './data';
import { buildDiffusionTrainGraph, buildVaeTrainGraph } from './graphs';
import type { BaseTrainGraph } from './graphs';
import { BASE_BETAS, BASE_HYPER, BASE_VAE, IMAGE_SIZE, LATENT_SIZE } from './recipe';
import type { BaseHyper } from './recipe';

/** State-dict name → values (one model part). */
export type Params = Map<string, Float32Array>;

export type StageOptions = {
  runner: Runner;
  /** last step to run (1-based, inclusive) and the step already done (resume point) */
  totalSteps: number;
  startStep?: number;
  /** weights to start from (missing names: seeded random init) */
  params?: Params;
  seed?: number;
  hyper?: Partial<BaseHyper>;
  onStep?: (step: number, loss: number) => void;
  /** called every `checkpointEvery` steps and at the end with the current weights */
  checkpointEvery?: number;
  onCheckpoint?: (params: Params, step: number) => Promise<void> | void;
  signal?: AbortSignal;
};

/** Warm-up over 20 steps, then cosine decay to 10% of `peak` at `total`. */
export function baseLearningRate(peak: number, total: number): (step: number) => number {
  return (step) => {
    if (step <= 20) return (peak * step) / 20;
    const t = Math.min(1, (step - 20) / Math.max(1, total - 20));
    return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * t)));
  };
}

/** Stored weights first, then seeded random init (deterministic per name). */
export function weightSource(params: Params | undefined, seed: number): WeightSource {
  const random = new RandomWeights(seed);
  const stored = new MapWeights(params ?? new Map());
  return { get: (name, shape) => stored.get(name) ?? random.get(name, shape) };
}

async function runStage(g: BaseTrainGraph, o: StageOptions, feeds: (rng: Rng, batch: number) => Record<string, HostTensor>): Promise<Params> {
  const h = { ...BASE_HYPER, ...o.hyper };
  const start = o.startStep ?? 0;
  const sched = baseLearningRate(h.lr, o.totalSteps);
  const session = await TrainingSession.create({
    runner: o.runner, backward: g.backward, name: g.backward.graph.name,
    trainable: Object.fromEntries(Object.keys(g.trainable).map((n) => [n, undefined])),
    optimizer: { kind: 'adamw', lr: (s) => sched(start + s), weightDecay: h.weightDecay, maxGradNorm: h.maxGradNorm },
  });
  const rng = new Rng(((o.seed ?? 0) * 7919 + start * 104729 + 17) >>> 0);
  const read = async (): Promise<Params> => {
    const raw = await session.readParams();
    return new Map(Object.entries(raw).map(([k, t]) => [g.trainable[k] as string, t.data as Float32Array]));
  };
  try {
    for (let step = start + 1; step <= o.totalSteps; step++) {
      if (o.signal?.aborted) break;
      const r = await session.step(feeds(rng, h.batch));
      o.onStep?.(step, r.loss);
      const last = step === o.totalSteps || o.signal?.aborted;
      if (o.onCheckpoint && (last || (o.checkpointEvery && step % o.checkpointEvery === 0))) await o.onCheckpoint(await read(), step);
    }
    return await read();
  } finally {
    await session.dispose();
  }
}

const f32 = (dims: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', dims, data });

/** Stage A: trains the VAE on fresh scenes; returns its state dict. */
export async function trainVaeStage(o: StageOptions): Promise<Params> {
  const h = { ...BASE_HYPER, ...o.hyper };
  const g = buildVaeTrainGraph(h.batch, weightSource(o.params, o.seed ?? 0), h.klWeight);
  const lat = [h.batch, BASE_VAE.latent_channels, LATENT_SIZE, LATENT_SIZE];
  return runStage(g, o, (rng, b) => ({
    sample: f32([b, 3, IMAGE_SIZE, IMAGE_SIZE], sceneBatch(rng, b).images),
    noise: f32(lat, rng.normalArray(b * 4 * LATENT_SIZE * LATENT_SIZE)),
  }));
}

/** Encoded training scenes: posterior means [n,4,16,16] (unscaled) and captions. */
export type LatentPool = { latents: Float32Array; captions: string[]; count: number };

/** Renders `count` scenes and encodes them with the trained VAE encoder (posterior mean). */
export async function encodeLatentPool(runner: Runner, vae: Params, count: number, seed: number): Promise<LatentPool> {
  const batch = 16;
  const enc = buildVaeEncoder(BASE_VAE, { batch, height: IMAGE_SIZE, width: IMAGE_SIZE, weights: new MapWeights(vae) });
  const session = await runner.createSession('base_vae_encoder', encodeModel(enc.model));
  const per = 4 * LATENT_SIZE * LATENT_SIZE;
  const n = Math.ceil(count / batch) * batch;
  const latents = new Float32Array(n * per);
  const captions: string[] = [];
  const rng = new Rng(seed);
  try {
    for (let i = 0; i < n; i += batch) {
      const sb = sceneBatch(rng, batch);
      captions.push(...sb.captions);
      const out = await session.run({ sample: f32([batch, 3, IMAGE_SIZE, IMAGE_SIZE], sb.images) });
      const lp = (out.latent_parameters as HostTensor).data as Float32Array;
      for (let j = 0; j < batch; j++) latents.set(lp.subarray(j * 2 * per, j * 2 * per + per), (i + j) * per);
    }
  } finally {
    await session.dispose();
  }
  return { latents, captions, count: n };
}

/** 1 / standard deviation of the pool's latents (diffusers' scaling_factor recipe). */
export function scalingFactorOf(pool: LatentPool): number {
  let s = 0;
  let s2 = 0;
  for (const v of pool.latents) {
    s += v;
    s2 += v * v;
  }
  const n = pool.latents.length;
  return 1 / Math.sqrt(Math.max(s2 / n - (s / n) ** 2, 1e-12));
}

/** Stage B: trains text encoder + UNet (ε-prediction) on the pool; `params` holds text_model.* and UNet names. */
export async function trainDiffusionStage(o: StageOptions & { pool: LatentPool; scalingFactor: number }): Promise<Params> {
  const h = { ...BASE_HYPER, ...o.hyper };
  const g = buildDiffusionTrainGraph(h.batch, weightSource(o.params, o.seed ?? 0));
  const tok = baseTokenizer();
  const per = 4 * LATENT_SIZE * LATENT_SIZE;
  const T = BASE_BETAS.numTrainTimesteps;
  return runStage(g, o, (rng, b) => {
    const latents = new Float32Array(b * per);
    const captions: string[] = [];
    for (let i = 0; i < b; i++) {
      const k = rng.int(0, o.pool.count - 1);
      const src = o.pool.latents.subarray(k * per, (k + 1) * per);
      for (let j = 0; j < per; j++) latents[i * per + j] = (src[j] as number) * o.scalingFactor;
      captions.push(o.pool.captions[k] as string);
    }
    const dims = [b, 4, LATENT_SIZE, LATENT_SIZE];
    return {
      input_ids: { dtype: 'int32', dims: [b, tok.maxLength], data: captionIds(tok, captions, rng, h.captionDropout) },
      latents: f32(dims, latents),
      noise: f32(dims, rng.normalArray(b * per)),
      timestep: f32([b], Float32Array.from({ length: b }, () => rng.int(0, T - 1))),
    };
  });
}
