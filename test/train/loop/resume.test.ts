// Checkpoints carry the optimizer state: a run cancelled at step k and resumed from its (encoded) checkpoint ends
// with the same params as an uninterrupted run, and a NaN rollback restores Adam's moments and t — the result
// equals a clean run over the same applied batches. A checkpoint without the optimizer state is the control.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import type { HostTensor } from '../../../src/runtime/types';
import { TrainingSession } from '../../../src/train/engine/trainStep';
import type { BatchFeeds } from '../../../src/train/engine/types';
import { decodeCheckpoint, encodeCheckpoint, MemoryCheckpointStore } from '../../../src/train/loop/checkpoints';
import { personalize } from '../../../src/train/loop/personalize';
import type { Checkpoint } from '../../../src/train/loop/types';
import { closeness, nodeOrt } from '../../helpers/ort';
import { linearData, linearModel } from '../engine/models';

const W0: Record<string, HostTensor> = {
  W: { dtype: 'float32', dims: [3, 1], data: Float32Array.of(0.1, -0.2, 0.3) },
  c: { dtype: 'float32', dims: [1], data: Float32Array.of(0) },
};
const OPT = { kind: 'adamw' as const, lr: 0.05, weightDecay: 0.01 };
const backward = linearModel(8);
const createStepper = (params: Record<string, HostTensor>) => TrainingSession.create({ runner: nodeOrt(), backward, trainable: params, optimizer: OPT, accumulationSteps: 2 });
const batch = (batchIndex: number, micro: number, poisoned = -1): BatchFeeds => {
  const { x, y } = linearData(new Rng(batchIndex * 16 + micro), 8);
  if (batchIndex === poisoned && micro === 1) (x.data as Float32Array)[0] = Number.NaN;
  return { x, y };
};
const w = (p: Record<string, HostTensor>) => p.W?.data as Float32Array;
const base = { createStepper, initialParams: W0, accumulation: 2, checkpointEvery: 4 };

describe('when a cancelled run is resumed from its checkpoint', () => {
  it('ends with the params of an uninterrupted run; without the optimizer state it would not', async () => {
    const batches = async (i: number, m: number) => batch(i, m);
    const straight = await personalize({ ...base, batches, steps: 12 });
    const store = new MemoryCheckpointStore();
    const ctrl = new AbortController();
    await personalize({ ...base, batches, steps: 12, store, signal: ctrl.signal, onProgress: (e) => e.step === 5 && ctrl.abort() });
    const saved = decodeCheckpoint(encodeCheckpoint((await store.load()) as Checkpoint), 'resume test');
    expect([saved.step, saved.optimizer?.stepCount, Object.keys(saved.optimizer?.slots ?? {}).sort()]).toEqual([5, 5, ['m/W', 'm/c', 'v/W', 'v/c']]);
    const resumed = await personalize({ ...base, batches, steps: 12, resumeFrom: saved });
    expect(resumed.step).toBe(12);
    expect(closeness(w(resumed.params), w(straight.params), 1e-7, 1e-7)).toBeLessThanOrEqual(1);
    const paramsOnly: Checkpoint = { step: saved.step, batchIndex: saved.batchIndex, rollbacks: saved.rollbacks, params: saved.params };
    const restarted = await personalize({ ...base, batches, steps: 12, resumeFrom: paramsOnly });
    expect(closeness(w(restarted.params), w(straight.params), 1e-6, 1e-5)).toBeGreaterThan(1);
  });
});

describe('when a NaN batch forces a rollback', () => {
  it('restores params, moments and t: the run equals a clean run over the batches it applied', async () => {
    const r = await personalize({ ...base, checkpointEvery: 5, batches: async (i, m) => batch(i, m, 7), steps: 12 });
    expect([r.rollbacks, r.batchIndex]).toEqual([1, 15]);
    // applied: batches 0–4 (steps 1–5, checkpoint), 5–6 dropped by the rollback, 7 NaN, then 8–14 (steps 6–12)
    const clean = await createStepper(W0);
    for (const i of [0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14]) await clean.step(batch(i, 0), batch(i, 1));
    const want = await clean.readParams();
    await clean.dispose();
    expect(closeness(w(r.params), w(want), 1e-7, 1e-7)).toBeLessThanOrEqual(1);
  });
});
