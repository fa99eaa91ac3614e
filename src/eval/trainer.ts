// Trains the evaluator with the project's own stack: buildTrainGraph (our autodiff) stepped by TrainingSession
// (fused forward + backward + AdamW) on an injected Runner, on batches generated on the fly from a seeded Rng.
// No I/O: progress goes to a callback; the caller saves the weights. Reference: train/engine/CONTEXT.md.
import { Rng } from '../lib/random';
import type { Runner } from '../runtime/index';
import { TrainingSession } from '../train/index';
import { initParams, paramShapes } from './architecture';
import { CropPool } from './data';
import { buildTrainGraph } from './trainGraph';

export type TrainOptions = {
  steps: number;
  /** object crops per step (default 64) */
  batch?: number;
  /** peak learning rate (default 3e-3), cosine-decayed to 5% over `steps` after a 20-step warm-up */
  lr?: number;
  /** rendered training scenes kept in memory (default 1024) and how many are re-drawn per step (default 2) */
  poolSize?: number;
  refreshPerStep?: number;
  /** seeds the initial weights and the data stream (default 0) */
  seed?: number;
  /** start from these weights instead of seeded random ones (a continued run; the data stream is re-seeded with `seed`) */
  init?: Record<string, Float32Array>;
  /** called after every step */
  onStep?: (step: number, loss: number) => void;
  signal?: AbortSignal;
};

export type TrainResult = { params: Record<string, Float32Array>; losses: number[]; steps: number };

/** Linear warm-up over 20 steps, then cosine decay to 5% of `peak` at `total`. */
export function learningRate(peak: number, total: number): (step: number) => number {
  return (step) => {
    if (step <= 20) return (peak * step) / 20;
    const t = Math.min(1, (step - 20) / Math.max(1, total - 20));
    return peak * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
  };
}

/** Trains from seeded initial weights; returns the final parameters and the per-step losses. */
export async function trainEvaluator(runner: Runner, o: TrainOptions): Promise<TrainResult> {
  const batch = o.batch ?? 64;
  const seed = o.seed ?? 0;
  const init = o.init ?? initParams(new Rng(seed));
  const session = await TrainingSession.create({
    runner,
    backward: buildTrainGraph(batch, init),
    trainable: Object.fromEntries(paramShapes().map((p) => [p.name, undefined])),
    optimizer: { kind: 'adamw', lr: learningRate(o.lr ?? 3e-3, o.steps), weightDecay: 0.01, maxGradNorm: 5 },
    name: 'evaluator_train',
  });
  const pool = new CropPool(new Rng(seed + 1), o.poolSize ?? 1024);
  const losses: number[] = [];
  try {
    for (let step = 1; step <= o.steps; step++) {
      if (o.signal?.aborted) break;
      pool.refresh(o.refreshPerStep ?? 2);
      const { x, y } = pool.batch(batch);
      const r = await session.step({ x, y });
      losses.push(r.loss);
      o.onStep?.(step, r.loss);
    }
    const host = await session.readParams();
    const params = Object.fromEntries(Object.entries(host).map(([k, t]) => [k, t.data as Float32Array]));
    return { params, losses, steps: losses.length };
  } finally {
    await session.dispose();
  }
}
