// The plan before Train (state/runPlan.ts): the regularisation counts, a pace meter fed with progress reports and
// their times, the estimate of a whole run from measured paces and cached images, the stored book; and the training
// slice measuring a run and keeping it, and refusing edits while a run uses them.
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createStudioStore, estimateRun, LOCKED_WHILE_TRAINING, memoryStorage, PACE_KEY, paceKey, regularisationPlan, regularisationSetKey, TRAIN_PRESETS } from '../../src/state/index';
import type { EnginePort, TrainProgress, TrainSettings } from '../../src/state/index';
import { createPaceMeter, parsePaceBook, withMeasurement } from '../../src/state/runPlan';

const base: TrainSettings = { ...TRAIN_PRESETS[0]!.settings, steps: 250, batchSize: 2, gradAccumulation: 4, seed: 1 };
const step = (n: number): TrainProgress => ({ step: n, totalSteps: 250, losses: { total: 1 / n } });
const reg = (done: number, cached: number): TrainProgress => ({ step: 0, totalSteps: 250, losses: {}, stage: 'regularisation', regularisation: { done, total: 200, cached } });
const stage = (s: TrainProgress['stage']): TrainProgress => ({ step: 0, totalSteps: 250, losses: {}, stage: s });

describe('regularisationPlan', () => {
  it('is DisenDiff\'s 200 images at 25 steps, and 2 × 2 for smoke runs of at most 10 steps', () => {
    expect(regularisationPlan({ steps: 250 })).toEqual({ count: 200, samplerSteps: 25 });
    expect(regularisationPlan({ steps: 11 })).toEqual({ count: 200, samplerSteps: 25 });
    expect(regularisationPlan({ steps: 10 })).toEqual({ count: 2, samplerSteps: 2 });
  });
});

describe('the pace meter', () => {
  it('takes medians of rendered images per sampler step and of steps per sample, and the setup time', () => {
    const m = createPaceMeter(base);
    m.record(stage('loading'), 0);
    m.record(stage('regularisation'), 2_000);
    m.record(reg(1, 1), 2_100); // read from the cache
    m.record(reg(2, 1), 7_100); // rendered: 5 s / 25 steps = 0.2
    m.record(reg(3, 2), 7_200); // cached: not an interval
    m.record(reg(4, 2), 12_200); // rendered: 0.2
    m.record(reg(5, 2), 22_200); // rendered: 0.4
    m.record(stage('building'), 23_000);
    m.record(step(1), 30_000);
    m.record({ ...step(1), checkpointStep: 1 }, 30_500); // same step again: no interval
    m.record(step(2), 38_000); // 8 s / 8 samples = 1
    m.record(step(3), 54_000); // 2
    m.record(step(4), 62_000); // 1
    m.record({ ...step(4), stage: 'saving' }, 63_000);
    const r = m.result();
    expect(r.rendered).toBe(5);
    expect(r.pace.samplerStepSeconds).toBeCloseTo(0.2, 12);
    expect(r.pace.samplerSteps).toBe(25);
    expect(r.pace.sampleSeconds).toBeCloseTo(1, 12);
    // load (2 s, until regularisation starts) + build and first step (7 s)
    expect(r.pace.setupSeconds).toBeCloseTo(9, 12);
  });

  it('measures nothing from a run that stopped before an interval', () => {
    const m = createPaceMeter(base);
    m.record(stage('loading'), 0);
    m.record(reg(1, 0), 500);
    expect(m.result()).toEqual({ pace: {}, rendered: 1 });
  });
});

describe('estimateRun', () => {
  const pace = { samplerStepSeconds: 0.2, samplerSteps: 25, sampleSeconds: 1, setupSeconds: 9, measuredAt: 't' };
  it('adds the images left to render, the setup and the remaining steps', () => {
    const e = estimateRun(base, pace, 50);
    expect([e.regularisationImages, e.regularisationCached, e.samplerSteps, e.samplesPerStep]).toEqual([200, 50, 25, 8]);
    expect(e.seconds.regularisation).toBeCloseTo(150 * 25 * 0.2, 9);
    expect(e.seconds.training).toBeCloseTo(249 * 8, 9);
    expect(e.totalSeconds).toBeCloseTo(750 + 1992 + 9, 9);
  });
  it('costs nothing for a fully cached set and leaves unmeasured parts out of the total', () => {
    expect(estimateRun(base, pace, 500).seconds.regularisation).toBe(0);
    const e = estimateRun(base, { sampleSeconds: 1, measuredAt: 't' }, 0);
    expect(e.seconds).toEqual({ training: 1992 });
    expect(e.totalSeconds).toBeUndefined();
    expect(estimateRun(base, undefined, 0).seconds).toEqual({});
  });
  it('uses a per-step figure only for images of the step count it was measured on', () => {
    // measured on 2-step smoke images: their fixed costs per image make the per-step figure too high for 25 steps
    const smoke = { ...pace, samplerSteps: 2 };
    expect(estimateRun(base, smoke, 0).seconds.regularisation).toBeUndefined();
    expect(estimateRun(base, smoke, 0).totalSeconds).toBeUndefined();
    expect(estimateRun({ ...base, steps: 4 }, smoke, 0).seconds.regularisation).toBeCloseTo(2 * 2 * 0.2, 12);
  });
});

describe('the pace book', () => {
  it('merges measurements (old figures kept where a run measured none) and keeps the largest rendered count', () => {
    let b = withMeasurement(parsePaceBook(undefined), 'k', { sampleSeconds: 2 }, 't1', { key: 'r', rendered: 10 });
    b = withMeasurement(b, 'k', { samplerStepSeconds: 0.5, samplerSteps: 25 }, 't2', { key: 'r', rendered: 4 });
    expect(b).toEqual({ paces: { k: { sampleSeconds: 2, samplerStepSeconds: 0.5, samplerSteps: 25, measuredAt: 't2' } }, regularisation: { r: 10 } });
    expect(parsePaceBook(JSON.stringify(b))).toEqual(b);
  });
  it('drops malformed entries instead of failing', () => {
    expect(parsePaceBook('{not json')).toEqual({ paces: {}, regularisation: {} });
    const text = JSON.stringify({ paces: { a: { sampleSeconds: -1, samplerStepSeconds: 0.3, setupSeconds: 3, measuredAt: 5 }, b: null }, regularisation: { r: 2.5, s: 3 } });
    expect(parsePaceBook(text)).toEqual({ paces: { a: { setupSeconds: 3, measuredAt: '' } }, regularisation: { s: 3 } });
  });
});

/** A port whose run the test drives: `report` sends progress (at the clock's time), `finish` resolves. */
function drivenPort() {
  const ctl = { report: (_p: TrainProgress) => undefined as void, finish: () => undefined as void };
  const port: EnginePort = {
    modelName: 'driven', samplers: ['DDIM'], generate: () => Promise.reject(new Error('not used')),
    train: (req, onProgress) => new Promise((resolve) => {
      ctl.report = onProgress;
      ctl.finish = () => resolve({ learnedTokens: req.concepts.map((c) => c.token) });
    }),
  };
  return { port, ctl };
}

describe('the training slice keeps the paces of a run', () => {
  it('measures a run, stores the book, and the next page\'s plan has a total and the cached images', async () => {
    const storage = memoryStorage();
    const clock = { ms: Date.UTC(2026, 11, 7, 23, 0) };
    const { port, ctl } = drivenPort();
    const store = createStudioStore({ engine: port, storage, now: () => new Date(clock.ms) });
    const s = store.getState();
    s.setBackend({ ep: 'wasm', reason: 'measured', isFallback: false });
    s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
    s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
    s.updateTraining({ steps: 250, batchSize: 1, gradAccumulation: 1, seed: 3 });
    const run = s.train();
    const at = (ms: number, p: TrainProgress) => ((clock.ms += ms), ctl.report(p));
    at(0, stage('loading'));
    at(1000, stage('regularisation'));
    at(100, reg(1, 0));
    at(2500, reg(2, 0)); // 0.1 s per sampler step
    at(2500, reg(3, 0));
    // the phase's time left comes from this run's own pace while it runs: 197 images × 25 steps × 0.1 s
    expect(store.getState().training.paceBook.paces['default|wasm']?.samplerStepSeconds).toBeCloseTo(0.1, 12);
    expect(await storage.get(PACE_KEY)).toBeUndefined();
    at(500, stage('building'));
    at(4000, step(1));
    at(3000, step(2));
    at(3000, step(3));

    // locked while the run uses them
    store.getState().updateTraining({ steps: 5 });
    store.getState().choosePreset('smoke');
    store.getState().undo();
    store.getState().updateConcept('c1', { classWord: 'square' });
    store.getState().setReference({ name: 'other.png', dataUrl: 'data:image/png;base64,AB', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    expect(store.getState().importProject('{}')).toBe(false);
    const now = store.getState();
    expect([now.training.settings.steps, now.project.concepts[0]!.classWord, now.project.reference!.name]).toEqual([250, 'circle', 'r.png']);
    expect(now.project.referenceNotice?.text).toBe(LOCKED_WHILE_TRAINING);
    expect(now.persistence.importError).toContain('Locked while training');
    expect(Object.values(now.editor.masks.present).some((l) => l.ops.length > 0)).toBe(true);

    ctl.finish();
    await run;
    const key = paceKey({ kind: 'default' }, { ep: 'wasm' });
    expect(key).toBe('default|wasm');
    const stored = JSON.parse((await storage.get(PACE_KEY))!);
    expect(stored.paces[key]).toEqual({ samplerStepSeconds: 0.1, samplerSteps: 25, sampleSeconds: 3, setupSeconds: 5, measuredAt: '2026-12-07T23:00:16.600Z' });
    const setKey = regularisationSetKey({ kind: 'default' }, ['circle'], 3, 25);
    expect(stored.regularisation).toEqual({ [setKey]: 3 });

    const next = createStudioStore({ engine: port, storage });
    await next.getState().restoreRuns();
    const t = next.getState().training;
    const e = estimateRun({ ...t.settings, steps: 250, batchSize: 1, gradAccumulation: 1 }, t.paceBook.paces[key], t.paceBook.regularisation[setKey] ?? 0);
    expect(e.regularisationCached).toBe(3);
    expect(e.totalSeconds).toBeCloseTo(197 * 25 * 0.1 + 5 + 249 * 3, 9);
  });
});

describe('the regularisation count setting', () => {
  it('overrides the default, 0 skipping the phase (no time for it), and survives a project file', async () => {
    expect(regularisationPlan({ steps: 250, regularisationImages: 40 })).toEqual({ count: 40, samplerSteps: 25 });
    expect(regularisationPlan({ steps: 4, regularisationImages: 0 })).toEqual({ count: 0, samplerSteps: 2 });
    const e = estimateRun({ ...base, regularisationImages: 0 }, { sampleSeconds: 1, setupSeconds: 9, measuredAt: 't' }, 0);
    expect([e.regularisationImages, e.seconds.regularisation, e.totalSeconds]).toEqual([0, 0, 9 + 249 * 8]);
    const { parseProjectFile } = await import('../../src/state/index');
    const store = createStudioStore({});
    store.getState().updateTraining({ regularisationImages: 12 });
    const text = store.getState().exportProject();
    expect(parseProjectFile(text).training.settings.regularisationImages).toBe(12);
    const old = JSON.parse(text) as { training: { settings: Record<string, unknown> } };
    delete old.training.settings.regularisationImages;
    expect(parseProjectFile(JSON.stringify(old)).training.settings.regularisationImages).toBeUndefined();
    old.training.settings.regularisationImages = 1e6;
    expect(() => parseProjectFile(JSON.stringify(old))).toThrow(/training\.settings\.regularisationImages/);
  });
});
