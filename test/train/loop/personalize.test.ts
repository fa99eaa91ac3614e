// The personalization loop: a real TrainingSession (linear regression, onnxruntime-node) with accumulation and
// an injected NaN batch (rollback to the last good checkpoint, params stay finite, training goes on), and a fake
// stepper for pause / resume / cancel / resume-from-checkpoint and the attention probe cadence.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import type { HostTensor } from '../../../src/runtime/types';
import { TrainingSession } from '../../../src/train/engine/trainStep';
import type { BatchFeeds, StepResult } from '../../../src/train/engine/types';
import { isFiniteParams, MemoryCheckpointStore } from '../../../src/train/loop/checkpoints';
import { PauseController } from '../../../src/train/loop/PauseController';
import { personalize, TrainingDivergedError } from '../../../src/train/loop/personalize';
import type { ProgressEvent, Stepper } from '../../../src/train/loop/types';
import { nodeOrt } from '../../helpers/ort';
import { linearData, linearModel } from '../engine/models';

const W0: Record<string, HostTensor> = {
  W: { dtype: 'float32', dims: [3, 1], data: Float32Array.of(0.1, -0.2, 0.3) },
  c: { dtype: 'float32', dims: [1], data: Float32Array.of(0) },
};

function linearBatches(poisoned: Set<number>) {
  return async (batchIndex: number, micro: number): Promise<BatchFeeds> => {
    const { x, y } = linearData(new Rng(batchIndex * 16 + micro), 8);
    if (poisoned.has(batchIndex) && micro === 1) (x.data as Float32Array)[0] = Number.NaN;
    return { x, y };
  };
}

const backward = linearModel(8);
const realStepper = async (params: Record<string, HostTensor>) =>
  TrainingSession.create({ runner: nodeOrt(), backward, trainable: params, optimizer: { kind: 'adamw', lr: 0.05, weightDecay: 0.01 }, accumulationSteps: 2 });

describe('when a batch holds a NaN (engine skips the step)', () => {
  it('restores the last good checkpoint, keeps params finite, counts the rollback and still fits the data', async () => {
    const store = new MemoryCheckpointStore();
    const events: ProgressEvent[] = [];
    const r = await personalize({ createStepper: realStepper, initialParams: W0, batches: linearBatches(new Set([7])), steps: 60, accumulation: 2, checkpointEvery: 5, store, onProgress: (e) => events.push(e) });
    expect(r.status).toBe('done');
    expect(r.rollbacks).toBe(1);
    expect(r.batchIndex).toBe(63); // 60 applied + the NaN batch + steps 6–7 redone after rolling back to step 5
    const rolled = events.find((e) => e.isRolledBack) as ProgressEvent;
    expect([rolled.batchIndex, rolled.step]).toEqual([8, 5]);
    expect(isFiniteParams(r.params)).toBe(true);
    expect(store.saves).toBe(12);
    const w = r.params.W?.data as Float32Array;
    expect(Math.abs((w[0] as number) - 1)).toBeLessThan(0.1);
    expect(Math.abs((w[1] as number) + 2)).toBeLessThan(0.1);
    const first = events[0]?.losses.total as number;
    expect(events.at(-1)?.losses.total).toBeLessThan(0.05 * first);
  });
});

/** Counts steps; `bad` step indices (1-based call count) report skipped. */
function fakeStepper(bad: Set<number> = new Set()) {
  const calls = { steps: 0, created: 0, starts: [] as number[] };
  const create = async (params: Record<string, HostTensor>): Promise<Stepper> => {
    calls.created++;
    let value = (params.p?.data as Float32Array)[0] as number;
    calls.starts.push(value);
    return {
      async step(...mb: BatchFeeds[]): Promise<StepResult & { terms?: Record<string, number> }> {
        calls.steps++;
        const skipped = bad.has(calls.steps);
        if (!skipped) value += mb.length;
        return { loss: 1 / calls.steps, losses: mb.map(() => 1), gradNorm: 1, skipped, stepCount: value, terms: { loss_base: 0.5 } };
      },
      async readParams() {
        return { p: { dtype: 'float32', dims: [1], data: Float32Array.of(value) } };
      },
      async dispose() {},
    };
  };
  return { calls, create };
}
const P0 = { p: { dtype: 'float32' as const, dims: [1], data: Float32Array.of(0) } };
const noBatch = async (): Promise<BatchFeeds> => ({});

describe('pause, resume and cancel', () => {
  it('waits while paused and continues on resume', async () => {
    const f = fakeStepper();
    const pause = new PauseController();
    pause.pause();
    const run = personalize({ createStepper: f.create, initialParams: P0, batches: noBatch, steps: 3, accumulation: 2, pause });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(f.calls.steps).toBe(0);
    pause.resume();
    const r = await run;
    expect([r.status, r.step, f.calls.steps]).toEqual(['done', 3, 3]);
  });

  it('stops on abort between steps, checkpoints the current state, and a resumed run finishes from there', async () => {
    const f = fakeStepper();
    const ctrl = new AbortController();
    const store = new MemoryCheckpointStore();
    const r = await personalize({ createStepper: f.create, initialParams: P0, batches: noBatch, steps: 10, accumulation: 2, checkpointEvery: 4, store, signal: ctrl.signal, onProgress: (e) => e.step === 3 && ctrl.abort() });
    expect([r.status, r.step, r.params.p?.data[0]]).toEqual(['cancelled', 3, 6]);
    const saved = await store.load();
    expect([saved?.step, saved?.batchIndex]).toEqual([3, 3]);
    const g = fakeStepper();
    const done = await personalize({ createStepper: g.create, initialParams: P0, batches: noBatch, steps: 10, accumulation: 2, store, resumeFrom: saved });
    expect([done.status, done.step, done.params.p?.data[0], g.calls.steps]).toEqual(['done', 10, 20, 7]);
  });

  it('wakes a paused loop when cancelled', async () => {
    const f = fakeStepper();
    const pause = new PauseController();
    const ctrl = new AbortController();
    pause.pause();
    const run = personalize({ createStepper: f.create, initialParams: P0, batches: noBatch, steps: 3, accumulation: 1, pause, signal: ctrl.signal });
    ctrl.abort();
    expect((await run).status).toBe('cancelled');
    expect(f.calls.steps).toBe(0);
  });
});

describe('progress and rollback limits', () => {
  it('reports each term, an ETA and attention maps every N steps', async () => {
    const f = fakeStepper();
    const events: ProgressEvent[] = [];
    let t = 0;
    await personalize({ createStepper: f.create, initialParams: P0, batches: noBatch, steps: 4, accumulation: 1, now: () => (t += 2), attentionEvery: 2, probeAttention: async (_s, step) => `maps@${step}`, onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.attention)).toEqual([undefined, 'maps@2', undefined, 'maps@4']);
    expect(events[0]?.losses).toEqual({ total: 1, loss_base: 0.5 });
    expect(events[0]?.etaSeconds).toBe(6);
    expect(events[3]?.etaSeconds).toBe(0);
  });

  it('rebuilds the stepper from the last checkpoint on a skipped step and gives up after too many in a row', async () => {
    const f = fakeStepper(new Set([3]));
    const r = await personalize({ createStepper: f.create, initialParams: P0, batches: noBatch, steps: 4, accumulation: 1, checkpointEvery: 2 });
    expect([r.rollbacks, r.step, f.calls.created, f.calls.starts]).toEqual([1, 4, 2, [0, 2]]);
    const g = fakeStepper(new Set([1, 2, 3, 4, 5, 6, 7]));
    await expect(personalize({ createStepper: g.create, initialParams: P0, batches: noBatch, steps: 4, accumulation: 1, maxConsecutiveRollbacks: 2 })).rejects.toThrow(TrainingDivergedError);
  });
});

describe('when the learning rate is absurd (lr 1e6: every value stays finite)', () => {
  it('detects the loss and weight explosion, rolls back and stops with TrainingDivergedError instead of finishing "done"', async () => {
    const wild = async (params: Record<string, HostTensor>) =>
      TrainingSession.create({ runner: nodeOrt(), backward, trainable: params, optimizer: { kind: 'adamw', lr: 1e6, weightDecay: 0 }, accumulationSteps: 2 });
    const events: ProgressEvent[] = [];
    const run = personalize({ createStepper: wild, initialParams: W0, batches: linearBatches(new Set()), steps: 40, accumulation: 2, checkpointEvery: 5, onProgress: (e) => events.push(e) });
    await expect(run).rejects.toThrow(TrainingDivergedError);
    await expect(personalize({ createStepper: wild, initialParams: W0, batches: linearBatches(new Set()), steps: 40, accumulation: 2, checkpointEvery: 5 })).rejects.toThrow(/rollbacks in a row \(last: (loss|weights) exploded/);
    expect(events.some((e) => e.isRolledBack)).toBe(true);
    expect(events.every((e) => Number.isFinite(e.losses.total))).toBe(true);
  });
});

describe('resuming another job', () => {
  it('refuses a checkpoint with other trainables or another job key, naming what differs', async () => {
    const store = new MemoryCheckpointStore();
    await personalize({ createStepper: fakeStepper().create, initialParams: P0, batches: noBatch, steps: 2, accumulation: 1, checkpointEvery: 1, store, jobKey: '{"concepts":[["<cat1>","cat"]]}' });
    const saved = await store.load();
    expect(saved?.jobKey).toBe('{"concepts":[["<cat1>","cat"]]}');
    const two = { ...P0, q: { dtype: 'float32' as const, dims: [2], data: new Float32Array(2) } };
    await expect(personalize({ createStepper: fakeStepper().create, initialParams: two, batches: noBatch, steps: 4, accumulation: 1, resumeFrom: saved })).rejects.toThrow(/cannot resume: the checkpoint holds other trainables \("q" absent there, \[2\] here\)/);
    await expect(personalize({ createStepper: fakeStepper().create, initialParams: P0, batches: noBatch, steps: 4, accumulation: 1, resumeFrom: saved, jobKey: '{"concepts":[["<dog1>","dog"]]}' })).rejects.toThrow(/cannot resume: the checkpoint was made for another job/);
    const same = await personalize({ createStepper: fakeStepper().create, initialParams: P0, batches: noBatch, steps: 4, accumulation: 1, resumeFrom: saved, jobKey: '{"concepts":[["<cat1>","cat"]]}' });
    expect([same.status, same.step]).toEqual(['done', 4]);
  });
});
