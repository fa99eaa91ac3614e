// Training slice: preset and settings, and the train/cancel actions that call EnginePort.train with the
// reference crop, the concepts and their masks rasterised by editor/raster.ts. No engine → 'unavailable'.
// Errors land in status, never thrown. Reference: issue 7 §5, disendiff.md §2.8 (presets).
import { rasterizeLayer, emptyLayer } from '../../editor/index';
import { describeError, ENGINE_UNAVAILABLE, isAbort } from '../engineMessages';
import { findPreset } from '../presets';
import { selectTrainBlockers } from '../selectors';
import type { TrainRequest, TrainSettings } from '../ports';
import type { SliceContext, StudioState } from './sliceTypes';

/** Masks go to the engine at the training resolution (SD 1.5: 512 px); the engine downsamples as it needs. */
export const TRAIN_MASK_RESOLUTION = 512;

export type TrainingActions = {
  choosePreset(id: string): void;
  updateTraining(patch: Partial<TrainSettings>): void;
  train(): Promise<void>;
  cancelTraining(): void;
};

function buildRequest(s: StudioState): TrainRequest {
  const ref = s.project.reference!;
  const doc = s.editor.masks.present;
  return {
    image: { dataUrl: ref.dataUrl, crop: ref.crop },
    concepts: s.project.concepts.map((c) => ({
      token: c.token,
      classWord: c.classWord,
      mask: rasterizeLayer(doc[c.id] ?? emptyLayer(c.id), ref.crop.size, TRAIN_MASK_RESOLUTION),
    })),
    maskResolution: TRAIN_MASK_RESOLUTION,
    settings: s.training.settings,
  };
}

export function createTrainingSlice({ set, get, deps }: SliceContext): TrainingActions {
  let controller: AbortController | null = null;
  const setTrain = (patch: Partial<StudioState['training']>): void => set((s) => ({ training: { ...s.training, ...patch } }));
  return {
    choosePreset(id) {
      const preset = findPreset(id);
      if (preset) setTrain({ preset: id, settings: preset.settings });
    },
    updateTraining(patch) {
      set((s) => ({ training: { ...s.training, preset: 'custom', settings: { ...s.training.settings, ...patch } } }));
    },
    async train() {
      const engine = deps.engine;
      if (!engine) return setTrain({ status: { kind: 'unavailable', message: ENGINE_UNAVAILABLE } });
      if (get().training.status.kind === 'running') return;
      const blockers = selectTrainBlockers(get());
      if (blockers.length > 0) return setTrain({ status: { kind: 'error', message: `Cannot train yet: ${blockers.join(' ')}` } });
      const request = buildRequest(get());
      controller = new AbortController();
      const signal = controller.signal;
      setTrain({ status: { kind: 'running' }, progress: { step: 0, totalSteps: request.settings.steps, losses: {} } });
      try {
        const result = await engine.train(request, (progress) => setTrain({ progress }), signal);
        setTrain({ status: { kind: 'done' }, learnedTokens: [...result.learnedTokens] });
      } catch (e) {
        setTrain({ status: isAbort(e, signal) ? { kind: 'cancelled' } : { kind: 'error', message: describeError(e) } });
      } finally {
        controller = null;
      }
    },
    cancelTraining() {
      controller?.abort();
    },
  };
}
