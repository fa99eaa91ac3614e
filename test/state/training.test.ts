// Training actions beyond start/cancel: pause and resume reach the engine through TrainPause, the loss history
// grows one point per reported step (the same step replaces), and the latest attention maps are kept.
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createPauseSwitch, createStudioStore } from '../../src/state/index';
import type { EnginePort, TrainPause, TrainProgress, TrainRequest } from '../../src/state/index';
import { DISENDIFF_TERMS, MASK_GUIDED_TERMS, DEFAULT_MODEL_PERSONALIZATION } from '../../src/train/config';
import { trainingConfig } from '../../src/workers/trainingStart';

/** A port whose run is driven by the test: `report` sends progress, `finish` resolves; pause changes are recorded. */
function drivenPort() {
  const seen: boolean[] = [];
  const ctl: { report(p: TrainProgress): void; finish(): void; pause?: TrainPause; request?: TrainRequest } = { report: () => undefined, finish: () => undefined };
  const port: EnginePort = {
    modelName: 'driven',
    samplers: ['DDIM'],
    generate: () => Promise.reject(new Error('not used')),
    train: (req, onProgress, signal, pause) =>
      new Promise((resolve, reject) => {
        ctl.pause = pause;
        ctl.request = req;
        pause?.subscribe((p) => seen.push(p));
        ctl.report = onProgress;
        ctl.finish = () => resolve({ learnedTokens: req.concepts.map((c) => c.token), trainedOn: 'WebGPU · test adapter', exportUsage: 'AUTOMATIC1111: c1.safetensors in embeddings/' });
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      }),
  };
  return { port, seen, ctl };
}

function readyStore(port: EnginePort) {
  const store = createStudioStore({ engine: port });
  const s = store.getState();
  s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
  s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
  s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
  s.choosePreset('smoke');
  return store;
}

describe('pause and resume', () => {
  it('flips the engine switch and the status, only from the matching state', async () => {
    const { port, seen, ctl } = drivenPort();
    const store = readyStore(port);
    store.getState().resumeTraining();
    expect(store.getState().training.status.kind).toBe('idle');
    const done = store.getState().train();
    store.getState().pauseTraining();
    expect(store.getState().training.status.kind).toBe('paused');
    expect(ctl.pause?.isPaused).toBe(true);
    store.getState().pauseTraining();
    await store.getState().train();
    store.getState().resumeTraining();
    expect(store.getState().training.status.kind).toBe('running');
    expect(seen).toEqual([true, false]);
    ctl.finish();
    await done;
    expect(store.getState().training.status.kind).toBe('done');
    expect(store.getState().training.learnedTokens).toEqual(['<c1>']);
    expect(store.getState().training.trainedOn).toBe('WebGPU · test adapter');
    expect(store.getState().training.exportUsage).toBe('AUTOMATIC1111: c1.safetensors in embeddings/');
  });

  it('cancels a paused run', async () => {
    const { port, seen } = drivenPort();
    const store = readyStore(port);
    const done = store.getState().train();
    store.getState().pauseTraining();
    store.getState().cancelTraining();
    await done;
    expect(store.getState().training.status.kind).toBe('cancelled');
    expect(seen).toEqual([true, false]);
  });
});

describe('a cancelled run keeps its work', () => {
  it('reports "trained 3 of 250 steps" and keeps the tokens when the engine stopped after some steps', async () => {
    const port: EnginePort = {
      modelName: 'stops', samplers: ['DDIM'], generate: () => Promise.reject(new Error('not used')),
      train: async (req, onProgress, signal) => {
        for (let step = 1; step <= 3; step++) onProgress({ step, totalSteps: 250, losses: { total: 1 / step } });
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        return { learnedTokens: req.concepts.map((c) => c.token), stoppedAt: { step: 3, totalSteps: 250 } };
      },
    };
    const store = readyStore(port);
    const done = store.getState().train();
    store.getState().cancelTraining();
    await done;
    const t = store.getState().training;
    expect(t.status).toEqual({ kind: 'cancelled', kept: 'Cancelled: trained 3 of 250 steps. <c1> is kept as trained so far and usable in prompts.' });
    expect(t.learnedTokens).toEqual(['<c1>']);
    expect(t.lossHistory.map((p) => p.step)).toEqual([1, 2, 3]);
  });
});

describe('loss history and attention', () => {
  it('keeps one point per step and the newest maps; a new run starts empty', async () => {
    const { port, ctl } = drivenPort();
    const store = readyStore(port);
    const done = store.getState().train();
    const map = { token: '<c1>', width: 2, height: 2, map: new Float32Array([1, 0, 0, 0]) };
    ctl.report({ step: 1, totalSteps: 2, losses: { total: 0.9, loss_base: 0.8 }, attention: { step: 1, maps: [map] } });
    ctl.report({ step: 1, totalSteps: 2, losses: { total: 0.7, loss_base: 0.6 } });
    ctl.report({ step: 2, totalSteps: 2, losses: { total: 0.5, loss_base: 0.4 }, etaSeconds: 0 });
    const t = store.getState().training;
    expect(t.lossHistory).toEqual([{ step: 1, losses: { total: 0.7, loss_base: 0.6 } }, { step: 2, losses: { total: 0.5, loss_base: 0.4 } }]);
    expect(t.attention?.step).toBe(1);
    expect(t.progress?.etaSeconds).toBe(0);
    ctl.finish();
    await done;
    const again = store.getState().train();
    expect(store.getState().training.lossHistory).toEqual([]);
    expect(store.getState().training.attention).toBeNull();
    store.getState().cancelTraining();
    await again;
  });
});

describe('createPauseSwitch', () => {
  it('notifies real changes only, until unsubscribed', () => {
    const sw = createPauseSwitch();
    const heard: boolean[] = [];
    const off = sw.subscribe((p) => heard.push(p));
    sw.set(false);
    sw.set(true);
    sw.set(true);
    off();
    sw.set(false);
    expect(heard).toEqual([true]);
    expect(sw.isPaused).toBe(false);
  });
});

describe('samples during training', () => {
  it('sends no preview when off; with N set, a one-image request from the generation settings; keeps the latest sample', async () => {
    const { port, ctl } = drivenPort();
    const store = readyStore(port);
    store.getState().updateGeneration({ prompt: 'a red star', steps: 7, guidance: 3, sampler: 'Euler a', seed: 5, size: 64, batch: 4 });
    const off = store.getState().train();
    expect(ctl.request?.preview).toBeUndefined();
    store.getState().cancelTraining();
    await off;
    store.getState().setSampleEvery(-3);
    expect(store.getState().training.sampleEvery).toBe(0);
    store.getState().setSampleEvery(2);
    const on = store.getState().train();
    expect(ctl.request?.preview).toEqual({
      every: 2,
      request: { prompt: 'a <c1>', expandedPrompt: 'a <c1> circle', negativePrompt: '', seed: 5, steps: 7, guidance: 3, sampler: 'Euler a', batch: 1, width: 64, height: 64 },
    });
    ctl.report({ step: 2, totalSteps: 2, losses: { total: 1 }, sample: { step: 2, dataUrl: 'data:image/png;base64,AA' } });
    ctl.report({ step: 2, totalSteps: 2, losses: { total: 1 } });
    expect(store.getState().training.sample).toEqual({ step: 2, dataUrl: 'data:image/png;base64,AA' });
    store.getState().cancelTraining();
    await on;
    store.getState().updateGeneration({ prompt: 'a <c1> on sand' });
    const named = store.getState().train();
    expect(ctl.request?.preview?.request.prompt).toBe('a <c1> on sand');
    expect(store.getState().training.sample).toBeNull();
    store.getState().cancelTraining();
    await named;
  });
});

describe('training presets', () => {
  it("starts on the default model's measured settings; the paper preset keeps SD 1.5's", async () => {
    const { port, ctl } = drivenPort();
    const store = createStudioStore({ engine: port });
    expect(store.getState().training.preset).toBe('default-model');
    expect(store.getState().training.settings).toMatchObject({ steps: 250, learningRate: 1e-3, attentionLossWeight: 0.01, batchSize: 2, gradAccumulation: 4 });
    store.getState().choosePreset('disendiff');
    expect(store.getState().training.settings).toMatchObject({ steps: 250, learningRate: 8e-5, attentionLossWeight: 0.01 });
    const s = store.getState();
    s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
    s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
    s.choosePreset('default-model');
    const run = store.getState().train();
    expect(ctl.request?.settings).toMatchObject({ steps: 250, learningRate: 1e-3, isolateConcepts: DEFAULT_MODEL_PERSONALIZATION.subsetIsolation });
    store.getState().cancelTraining();
    await run;
    // the isolation switch is a setting like the others: it makes the preset custom and reaches the request
    store.getState().updateTraining({ isolateConcepts: !DEFAULT_MODEL_PERSONALIZATION.subsetIsolation });
    expect(store.getState().training.preset).toBe('custom');
    const again = store.getState().train();
    expect(ctl.request?.settings.isolateConcepts).toBe(!DEFAULT_MODEL_PERSONALIZATION.subsetIsolation);
    store.getState().cancelTraining();
    await again;
  });
  it('sends the paper preset as the released method: rare-token init and no mask extras, though masks exist', async () => {
    const { port, ctl } = drivenPort();
    const store = readyStore(port);
    const s = store.getState();
    s.choosePreset('disendiff');
    const run = store.getState().train();
    const sent = ctl.request?.settings;
    expect(sent).toMatchObject({ maskGuidance: false, unionSampling: false, isolateConcepts: false, modifierInit: 'rare' });
    expect(trainingConfig(sent as NonNullable<typeof sent>)).toMatchObject({ useMasks: false, unionSampling: false, subsetIsolation: false, terms: DISENDIFF_TERMS, learningRate: 8e-5 });
    store.getState().cancelTraining();
    await run;
    // the default model's preset keeps the measured mask extras
    s.choosePreset('default-model');
    const again = store.getState().train();
    expect(trainingConfig(ctl.request?.settings as NonNullable<typeof sent>)).toMatchObject({ useMasks: true, unionSampling: true, subsetIsolation: DEFAULT_MODEL_PERSONALIZATION.subsetIsolation, terms: MASK_GUIDED_TERMS });
    store.getState().cancelTraining();
    await again;
  });
});
