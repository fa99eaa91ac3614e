// Generation and training actions against the EnginePort: honest 'unavailable' without an engine; with a
// recording port, the request carries the expanded prompt and rasterised masks; progress, cancel, errors.
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createStudioStore, ENGINE_UNAVAILABLE, TRAIN_MASK_RESOLUTION } from '../../src/state/index';
import type { EnginePort, GenerateRequest, TrainRequest } from '../../src/state/index';

/** A port that records requests and either waits for abort or fails; it never invents images. */
function recordingPort(mode: 'wait' | 'fail') {
  const calls: { generate: GenerateRequest[]; train: TrainRequest[] } = { generate: [], train: [] };
  const run = (signal: AbortSignal, report: () => void) =>
    new Promise<never>((_, reject) => {
      report();
      if (mode === 'fail') reject(new Error('session "unet": out of memory'));
      signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    });
  const port: EnginePort = {
    modelName: 'recording port',
    samplers: ['DDIM'],
    generate: (req, onProgress, signal) => (calls.generate.push(req), run(signal, () => onProgress({ stepIndex: 1, totalSteps: req.steps }))),
    train: (req, onProgress, signal) => (calls.train.push(req), run(signal, () => onProgress({ step: 1, totalSteps: req.settings.steps, losses: { mse: 0.5 } }))),
  };
  return { port, calls };
}

describe('without an engine', () => {
  it('marks generation and training unavailable, with the issue to follow', async () => {
    const store = createStudioStore();
    expect(store.getState().engine.isEngineAvailable).toBe(false);
    await store.getState().generate();
    await store.getState().train();
    expect(store.getState().generation.status).toEqual({ kind: 'unavailable', message: ENGINE_UNAVAILABLE });
    expect(store.getState().training.status.kind).toBe('unavailable');
    expect(store.getState().generation.images).toEqual([]);
  });
});

describe('with an engine port', () => {
  it('sends the expanded prompt and the locked seed, reports progress, and cancels', async () => {
    const { port, calls } = recordingPort('wait');
    const store = createStudioStore({ engine: port });
    const s = store.getState();
    s.updateConcept('c1', { token: '<cat1>', classWord: 'cat' });
    s.updateGeneration({ prompt: 'a <cat1> on a sofa', seed: 7, isSeedLocked: true, steps: 4 });
    const done = s.generate();
    expect(store.getState().generation.status.kind).toBe('running');
    expect(store.getState().generation.progress).toEqual({ stepIndex: 1, totalSteps: 4 });
    expect(calls.generate[0]).toMatchObject({ expandedPrompt: 'a <cat1> cat on a sofa', seed: 7, width: 512, height: 512 });
    store.getState().cancelGeneration();
    await done;
    expect(store.getState().generation.status.kind).toBe('cancelled');
  });

  it('draws a new seed when unlocked and refuses an empty prompt', async () => {
    const { port } = recordingPort('fail');
    const store = createStudioStore({ engine: port, randomSeed: () => 1234 });
    await store.getState().generate();
    expect(store.getState().generation.settings.seed).toBe(1234);
    expect(store.getState().generation.status).toMatchObject({ kind: 'error', message: expect.stringMatching(/prompt is empty/) });
    store.getState().updateGeneration({ prompt: 'x' });
    await store.getState().generate();
    expect(store.getState().generation.status).toEqual({ kind: 'error', message: 'session "unet": out of memory' });
  });

  it('lists what blocks training, then sends masks at the training resolution', async () => {
    const { port, calls } = recordingPort('wait');
    const store = createStudioStore({ engine: port });
    await store.getState().train();
    expect(store.getState().training.status).toMatchObject({ kind: 'error', message: expect.stringMatching(/Load a reference image.*Paint a mask for <concept1>/) });
    const s = store.getState();
    s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    s.updateConcept('c1', { classWord: 'cat' });
    s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
    s.choosePreset('smoke');
    const done = store.getState().train();
    expect(store.getState().training.progress).toEqual({ step: 1, totalSteps: 2, losses: { mse: 0.5 } });
    const req = calls.train[0]!;
    expect(req.maskResolution).toBe(TRAIN_MASK_RESOLUTION);
    expect(req.concepts[0]!.mask.length).toBe(TRAIN_MASK_RESOLUTION * TRAIN_MASK_RESOLUTION);
    expect(req.concepts[0]!.mask.every((v) => v === 255)).toBe(true);
    store.getState().cancelTraining();
    await done;
    expect(store.getState().training.status.kind).toBe('cancelled');
  });
});
