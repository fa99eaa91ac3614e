// Training slice: preset and settings, and the train/pause/resume/cancel actions that call EnginePort.train with
// the reference crop, the concepts and their masks rasterised by editor/raster.ts; keeps the loss history and the
// latest attention maps of the run. No engine → 'unavailable'. Errors land in status, never thrown.
// Reference: the studio's training panel, docs/disendiff.md §2.8 (presets).
import { rasterizeLayer, emptyLayer } from '../../editor/index';
import { expandPrompt } from '../concepts';
import { describeError } from '../../lib/errors';
import { ENGINE_UNAVAILABLE, isAbort } from '../engineMessages';
import { createPauseSwitch } from '../pauseSwitch';
import type { PauseSwitch } from '../pauseSwitch';
import { findPreset } from '../presets';
import { isTrainingActive, selectTrainBlockers } from '../selectors';
import { newRunId, parseRuns, resumableRun, RUNS_KEY, withRun } from '../runs';
import type { RunRecord } from '../runs';
import { createPaceMeter, PACE_KEY, paceKey, parsePaceBook, regularisationPlan, regularisationSetKey, withMeasurement } from '../runPlan';
import type { GenerateRequest, TrainProgress, TrainRequest, TrainSettings } from '../ports';
import type { SliceContext, StudioState } from './sliceTypes';

/** Masks go to the engine at the training resolution (SD 1.5: 512 px); the engine downsamples as it needs. */
export const TRAIN_MASK_RESOLUTION = 512;

export type TrainingActions = {
  choosePreset(id: string): void;
  updateTraining(patch: Partial<TrainSettings>): void;
  train(): Promise<void>;
  /** sample an image every `n` optimiser steps during the next runs (0 = off) */
  setSampleEvery(n: number): void;
  /** pauses a running run between optimiser steps (no-op otherwise) */
  pauseTraining(): void;
  /** resumes a paused run (no-op otherwise) */
  resumeTraining(): void;
  /** asks the run to stop; it stops after the optimiser step in flight and keeps what it trained (isStopping meanwhile) */
  cancelTraining(): void;
  /** reads the run history from storage; a run the page lost mid-way becomes 'interrupted' (resumable from its checkpoint) */
  restoreRuns(): Promise<void>;
  /** continues the newest run from its checkpoint (resumableRun), with that run's settings */
  resumeRun(): Promise<void>;
  /** applies the concept pack of an earlier run of the history */
  useRun(runId: string): Promise<void>;
};

/**
 * The sample request during training: the generation settings (sampler, steps, guidance, seed, size, negative
 * prompt), one image; the generation prompt when it names a concept being trained, else "a <c1> and a <c2>".
 */
export function previewRequest(s: StudioState): GenerateRequest {
  const g = s.generation.settings;
  const tokens = s.project.concepts.map((c) => c.token);
  const prompt = tokens.some((t) => g.prompt.includes(t)) ? g.prompt : tokens.map((t) => `a ${t}`).join(' and ');
  return {
    prompt, expandedPrompt: expandPrompt(prompt, s.project.concepts), negativePrompt: g.negativePrompt, seed: g.seed,
    steps: g.steps, guidance: g.guidance, sampler: g.sampler, batch: 1, width: g.size, height: g.size,
  };
}

function buildRequest(s: StudioState, runId: string, isResume: boolean): TrainRequest {
  const ref = s.project.reference!;
  const doc = s.editor.masks.present;
  return {
    ...(s.training.sampleEvery > 0 ? { preview: { every: s.training.sampleEvery, request: previewRequest(s) } } : {}),
    image: { dataUrl: ref.dataUrl, crop: ref.crop },
    concepts: s.project.concepts.map((c) => ({
      token: c.token,
      classWord: c.classWord,
      mask: rasterizeLayer(doc[c.id] ?? emptyLayer(c.id), ref.crop.size, TRAIN_MASK_RESOLUTION),
    })),
    maskResolution: TRAIN_MASK_RESOLUTION,
    settings: s.training.settings,
    runId,
    ...(isResume ? { isResume } : {}),
  };
}

/** The training state after one progress report: latest progress, one more loss point, newest attention maps. */
function withProgress(t: StudioState['training'], progress: TrainProgress): Partial<StudioState['training']> {
  const hasLosses = Object.keys(progress.losses).length > 0;
  const last = t.lossHistory[t.lossHistory.length - 1];
  const point = { step: progress.step, losses: progress.losses };
  const lossHistory = !hasLosses ? t.lossHistory : last?.step === progress.step ? [...t.lossHistory.slice(0, -1), point] : [...t.lossHistory, point];
  const attentionHistory = progress.attention && t.attentionHistory.at(-1)?.step !== progress.attention.step ? [...t.attentionHistory, progress.attention] : t.attentionHistory;
  return { progress, lossHistory, attention: progress.attention ?? t.attention, attentionHistory, sample: progress.sample ?? t.sample };
}

export function createTrainingSlice({ set, get, deps }: SliceContext): TrainingActions {
  let controller: AbortController | null = null;
  let pause: PauseSwitch | null = null;
  const setTrain = (patch: Partial<StudioState['training']>): void => set((s) => ({ training: { ...s.training, ...patch } }));
  const isActive = (): boolean => isTrainingActive(get());
  /** the record of run `r` in the history, stored (a failed write loses only the history line, never the run) */
  const keepRun = (r: RunRecord, isStored: boolean): void => {
    set((s) => ({ training: { ...s.training, runs: withRun(s.training.runs, r) } }));
    if (isStored) void deps.storage?.set(RUNS_KEY, JSON.stringify(get().training.runs)).catch(() => undefined);
  };
  const runOf = (id: string): RunRecord | undefined => get().training.runs.find((r) => r.id === id);
  const nowMs = (): number => (deps.now ?? (() => new Date()))().getTime();
  /** keeps what `meter` measured of a run (started on `at`'s model and backend; runPlan.ts), in the state and in storage */
  const keepPace = (meter: ReturnType<typeof createPaceMeter>, request: TrainRequest, at: Pick<StudioState, 'project' | 'engine'>, isStored = true): void => {
    const { model } = at.project;
    const { backend } = at.engine;
    if (!backend) return;
    const { pace, rendered } = meter.result();
    const reg = { key: regularisationSetKey(model, request.concepts.map((c) => c.classWord), request.settings.seed, regularisationPlan(request.settings).samplerSteps), rendered };
    const paceBook = withMeasurement(get().training.paceBook, paceKey(model, backend), pace, new Date(nowMs()).toISOString(), reg);
    const s = get();
    if (paceBook === s.training.paceBook) return;
    setTrain({ paceBook });
    if (isStored) void deps.storage?.set(PACE_KEY, JSON.stringify(paceBook)).catch(() => undefined);
  };
  /** One run of the engine for `record` (new, or resumed from its checkpoint): progress, checkpoints, the kept result. */
  async function runWith(record: RunRecord, isResume: boolean): Promise<void> {
    const engine = deps.engine!;
    const blockers = selectTrainBlockers(get());
    if (blockers.length > 0) return setTrain({ status: { kind: 'error', message: `Cannot train yet: ${blockers.join(' ')}` } });
    const request = buildRequest(get(), record.id, isResume);
    controller = new AbortController();
    pause = createPauseSwitch();
    const signal = controller.signal;
    const meter = createPaceMeter(request.settings);
    const at = get();
    keepRun(record, true);
    setTrain({ status: { kind: 'running' }, isStopping: false, activeRunId: record.id, progress: { step: record.step, totalSteps: request.settings.steps, losses: {} }, lossHistory: [], attention: null, attentionHistory: [], sample: null });
    const onProgress = (progress: TrainProgress): void => {
      meter.record(progress, nowMs());
      // the regularisation phase's time left uses this run's own pace as soon as it has one (stored at the end)
      if (progress.regularisation) keepPace(meter, request, at, false);
      set((s) => ({ training: { ...s.training, ...withProgress(s.training, progress) } }));
      const r = runOf(record.id);
      if (r) keepRun({ ...r, step: Math.max(r.step, progress.step), checkpointStep: progress.checkpointStep ?? r.checkpointStep }, progress.checkpointStep !== undefined);
    };
    try {
      const result = await engine.train(request, onProgress, signal, pause);
      const stop = result.stoppedAt;
      const status = stop
        ? { kind: 'cancelled' as const, kept: `Cancelled: trained ${stop.step} of ${stop.totalSteps} steps. ${result.learnedTokens.join(', ')} ${result.learnedTokens.length === 1 ? 'is' : 'are'} kept as trained so far and usable in prompts.` }
        : { kind: 'done' as const };
      const r = runOf(record.id) ?? record;
      keepRun({ ...r, status: stop ? 'cancelled' : 'done', step: stop?.step ?? r.totalSteps, checkpointStep: stop ? Math.max(r.checkpointStep, stop.step) : r.totalSteps, hasPack: true, ...(result.trainedOn ? { trainedOn: result.trainedOn } : {}) }, true);
      setTrain({ status, learnedTokens: [...result.learnedTokens], trainedOn: result.trainedOn ?? null, exportUsage: result.exportUsage ?? null, appliedRunId: record.id });
    } catch (e) {
      const isCancel = isAbort(e, signal);
      keepRun({ ...(runOf(record.id) ?? record), status: isCancel ? 'cancelled' : 'error' }, true);
      setTrain({ status: isCancel ? { kind: 'cancelled' } : { kind: 'error', message: describeError(e) } });
    } finally {
      keepPace(meter, request, at);
      controller = null;
      pause = null;
      setTrain({ isStopping: false, activeRunId: null });
    }
  }
  return {
    choosePreset(id) {
      const preset = findPreset(id);
      // the settings are locked while a run uses them (the run read them at its start)
      if (preset && !isActive()) setTrain({ preset: id, settings: preset.settings });
    },
    updateTraining(patch) {
      if (isActive()) return;
      set((s) => ({ training: { ...s.training, preset: 'custom', settings: { ...s.training.settings, ...patch } } }));
    },
    async train() {
      if (!deps.engine) return setTrain({ status: { kind: 'unavailable', message: ENGINE_UNAVAILABLE } });
      if (isActive()) return;
      const t = get().training;
      const now = (deps.now ?? (() => new Date()))();
      const tokens = get().project.concepts.map((c) => c.token);
      const record: RunRecord = { id: newRunId(t.runs, now), tokens, settings: t.settings, startedAt: now.toISOString(), step: 0, totalSteps: t.settings.steps, checkpointStep: 0, status: 'running', hasPack: false };
      await runWith(record, false);
    },
    async resumeRun() {
      const r = resumableRun(get().training.runs);
      if (!deps.engine || !r || isActive()) return;
      set((s) => ({ training: { ...s.training, settings: r.settings } }));
      await runWith({ ...r, status: 'running', step: r.checkpointStep }, true);
    },
    async restoreRuns() {
      const runs = parseRuns(await deps.storage?.get(RUNS_KEY).catch(() => undefined)).map((r) => (r.status === 'running' ? { ...r, status: 'interrupted' as const } : r));
      const paceBook = parsePaceBook(await deps.storage?.get(PACE_KEY).catch(() => undefined));
      if (!isActive()) setTrain({ runs, paceBook });
    },
    async useRun(runId) {
      const r = get().training.runs.find((x) => x.id === runId);
      if (!deps.engine?.useRun || !r?.hasPack || isActive()) return;
      try {
        const tokens = await deps.engine.useRun(runId);
        setTrain({ learnedTokens: [...tokens], appliedRunId: runId, trainedOn: r.trainedOn ?? null, exportUsage: null });
      } catch (e) {
        setTrain({ status: { kind: 'error', message: `Could not use run ${runId}: ${describeError(e)}` } });
      }
    },
    setSampleEvery(n) {
      setTrain({ sampleEvery: Number.isInteger(n) && n > 0 ? n : 0 });
    },
    pauseTraining() {
      if (!pause || get().training.status.kind !== 'running') return;
      pause.set(true);
      setTrain({ status: { kind: 'paused' } });
    },
    resumeTraining() {
      if (!pause || get().training.status.kind !== 'paused') return;
      pause.set(false);
      setTrain({ status: { kind: 'running' } });
    },
    cancelTraining() {
      if (!controller || controller.signal.aborted) return;
      setTrain({ isStopping: true });
      pause?.set(false);
      controller.abort();
    },
  };
}
