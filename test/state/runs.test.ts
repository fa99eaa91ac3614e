// Runs that keep what they made (src/state/runs.ts, the training slice): every run is a record in a stored history,
// checkpoints move its resume point, a reload turns a lost run into "interrupted" and offers to resume it from its
// checkpoint with its own settings, a second run keeps the first listed and usable, and Cancel says at once that the
// run is stopping.
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createStudioStore, memoryStorage, resumableRun, RUNS_KEY } from '../../src/state/index';
import type { EnginePort, StoragePort, TrainProgress, TrainRequest, TrainResult } from '../../src/state/index';
import { parseRuns, withRun } from '../../src/state/runs';

type Call = { request: TrainRequest; report(p: TrainProgress): void; finish(r?: Partial<TrainResult>): void; fail(e: Error): void; signal: AbortSignal };

/** An engine whose runs the test drives; each train call is recorded; useRun answers from `packs`. */
function drivenEngine(packs: Record<string, string[]> = {}) {
  const calls: Call[] = [];
  const used: string[] = [];
  const port: EnginePort = {
    modelName: 'driven', samplers: ['DDIM'], generate: () => Promise.reject(new Error('not used')),
    train: (request, onProgress, signal) => new Promise((resolve, reject) => {
      calls.push({ request, report: onProgress, signal, finish: (r) => resolve({ learnedTokens: request.concepts.map((c) => c.token), ...r }), fail: reject });
    }),
    useRun: async (id) => {
      used.push(id);
      const tokens = packs[id];
      if (!tokens) throw new Error(`no pack for ${id}`);
      return tokens;
    },
  };
  return { port, calls, used };
}

let clock = 0;
function readyStore(port: EnginePort, storage: StoragePort) {
  const store = createStudioStore({ engine: port, storage, now: () => new Date(Date.UTC(2026, 11, 7, 20, 0, clock++)) });
  const s = store.getState();
  s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
  s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
  s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
  s.choosePreset('smoke');
  s.updateTraining({ steps: 10 });
  return store;
}

const stored = async (storage: StoragePort) => parseRuns(await storage.get(RUNS_KEY));

describe('the run history', () => {
  it('records a run, moves its resume point at each checkpoint and stores the finished run', async () => {
    const storage = memoryStorage();
    const { port, calls } = drivenEngine();
    const store = readyStore(port, storage);
    const run = store.getState().train();
    const call = calls[0]!;
    const id = call.request.runId;
    expect(call.request.isResume).toBeUndefined();
    expect(store.getState().training.activeRunId).toBe(id);
    call.report({ step: 1, totalSteps: 10, losses: { total: 1 } });
    call.report({ step: 1, totalSteps: 10, losses: { total: 1 }, checkpointStep: 1 });
    call.report({ step: 2, totalSteps: 10, losses: { total: 0.9 } });
    // only checkpoints are written through: the stored resume point is step 1
    expect((await stored(storage))[0]).toMatchObject({ id, status: 'running', checkpointStep: 1, step: 1, tokens: ['<c1>'], totalSteps: 10 });
    call.finish({ trainedOn: 'wasm' });
    await run;
    expect((await stored(storage))[0]).toMatchObject({ id, status: 'done', step: 10, checkpointStep: 10, hasPack: true, trainedOn: 'wasm' });
    expect(store.getState().training.appliedRunId).toBe(id);
    expect(resumableRun(store.getState().training.runs)).toBeNull();
  });

  it('keeps the first run listed when a second one trains the same tokens, and applies it again on "use"', async () => {
    const storage = memoryStorage();
    const { port, calls, used } = drivenEngine();
    const store = readyStore(port, storage);
    const first = store.getState().train();
    calls[0]!.finish();
    await first;
    const second = store.getState().train();
    calls[1]!.finish();
    await second;
    const [a, b] = [calls[0]!.request.runId, calls[1]!.request.runId];
    expect(a).not.toBe(b);
    expect(store.getState().training.runs.map((r) => r.id)).toEqual([b, a]);
    expect(store.getState().training.appliedRunId).toBe(b);
    await store.getState().useRun(a);
    // the engine had no pack for it: the store says so and keeps the current one applied
    expect(used).toEqual([a]);
    expect(store.getState().training.status).toMatchObject({ kind: 'error', message: expect.stringContaining(`Could not use run ${a}`) });
    expect(store.getState().training.appliedRunId).toBe(b);
  });

  it('applies an earlier run through the engine and shows its tokens', async () => {
    const storage = memoryStorage();
    const { port, calls } = drivenEngine();
    const store = readyStore(port, storage);
    const first = store.getState().train();
    calls[0]!.finish();
    await first;
    const a = calls[0]!.request.runId;
    const second = store.getState().train();
    calls[1]!.finish();
    await second;
    const engine2 = drivenEngine({ [a]: ['<c1>'] });
    const reloaded = readyStore(engine2.port, storage);
    await reloaded.getState().restoreRuns();
    await reloaded.getState().useRun(a);
    expect(engine2.used).toEqual([a]);
    expect(reloaded.getState().training).toMatchObject({ appliedRunId: a, learnedTokens: ['<c1>'] });
  });
});

describe('resume after a reload', () => {
  it('offers the lost run at its checkpoint and resumes it with its own settings and id', async () => {
    const storage = memoryStorage();
    const before = drivenEngine();
    const store = readyStore(before.port, storage);
    store.getState().updateTraining({ seed: 7 });
    void store.getState().train();
    const call = before.calls[0]!;
    for (let step = 1; step <= 3; step++) call.report({ step, totalSteps: 10, losses: { total: 1 }, checkpointStep: step });
    await Promise.resolve();
    // the page goes away: a new store on the same storage
    const after = drivenEngine();
    const reloaded = readyStore(after.port, storage);
    reloaded.getState().updateTraining({ steps: 99, seed: 1 });
    await reloaded.getState().restoreRuns();
    const offer = resumableRun(reloaded.getState().training.runs);
    expect(offer).toMatchObject({ id: call.request.runId, status: 'interrupted', checkpointStep: 3, totalSteps: 10 });
    const resumed = reloaded.getState().resumeRun();
    const again = after.calls[0]!;
    expect(again.request).toMatchObject({ runId: call.request.runId, isResume: true });
    expect(again.request.settings).toMatchObject({ steps: 10, seed: 7 });
    expect(reloaded.getState().training.progress).toMatchObject({ step: 3, totalSteps: 10 });
    again.finish();
    await resumed;
    expect(reloaded.getState().training.runs).toHaveLength(1);
    expect(reloaded.getState().training.runs[0]).toMatchObject({ status: 'done', step: 10 });
  });

  it('offers a cancelled run that has a checkpoint, but not one that never reached a step', async () => {
    const storage = memoryStorage();
    const { port, calls } = drivenEngine();
    const store = readyStore(port, storage);
    const run = store.getState().train();
    store.getState().cancelTraining();
    calls[0]!.fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    await run;
    expect(resumableRun(store.getState().training.runs)).toBeNull();
    const kept = store.getState().train();
    calls[1]!.report({ step: 2, totalSteps: 10, losses: { total: 1 }, checkpointStep: 2 });
    store.getState().cancelTraining();
    calls[1]!.finish({ stoppedAt: { step: 2, totalSteps: 10 } });
    await kept;
    expect(resumableRun(store.getState().training.runs)).toMatchObject({ id: calls[1]!.request.runId, status: 'cancelled', checkpointStep: 2, hasPack: true });
  });

  it('drops damaged history entries and keeps the readable ones', () => {
    const good = { id: 'run-1', tokens: ['<c1>'], settings: createStudioStore().getState().training.settings, startedAt: 'x', step: 1, totalSteps: 5, checkpointStep: 1, status: 'running', hasPack: false };
    expect(parseRuns(JSON.stringify([{ ...good, totalSteps: 'many' }, good])).map((r) => r.id)).toEqual(['run-1']);
    expect(parseRuns('{ not json')).toEqual([]);
    expect(withRun(parseRuns(JSON.stringify([good])), { ...parseRuns(JSON.stringify([good]))[0]!, step: 2 })).toHaveLength(1);
  });
});

describe('cancel', () => {
  it('says at once that the run is stopping, and clears that when the engine returns', async () => {
    const { port, calls } = drivenEngine();
    const store = readyStore(port, memoryStorage());
    const run = store.getState().train();
    store.getState().cancelTraining();
    expect(store.getState().training.isStopping).toBe(true);
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[0]!.finish({ stoppedAt: { step: 1, totalSteps: 10 } });
    await run;
    expect(store.getState().training.isStopping).toBe(false);
    expect(store.getState().training.status.kind).toBe('cancelled');
  });
});
