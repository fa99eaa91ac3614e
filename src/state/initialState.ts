// Default values of every state field (docs/house-style.md §11: slice defaults live here, actions in slices/).
// Pure data; a function so every store gets fresh objects.
import { DEFAULT_MASKED_PADDING } from '../diffusion/index';
import { createHistory, emptyLayer, WAND_TOLERANCE } from '../editor/index';
import { TRAIN_PRESETS } from './presets';
import { EMPTY_PACE_BOOK } from './runPlan';
import type { StudioData } from './types';

export const DEFAULT_BRUSH_RADIUS = 16;
/** the edit view's mask layer id (not a concept) */
export const EDIT_LAYER_ID = 'edit';

export function initialStudioData(): StudioData {
  return {
    project: { reference: null, referenceNotice: null, concepts: [], model: { kind: 'default' } },
    editor: {
      masks: createHistory({}),
      activeConceptId: null,
      tool: 'brush',
      brushRadius: DEFAULT_BRUSH_RADIUS,
      brushFeather: 0,
      wandTolerance: WAND_TOLERANCE.default,
      wandMode: 'add',
      referencePixels: null,
      maskOpacity: 0.5,
      view: { scale: 1, offsetX: 0, offsetY: 0 },
      stageSize: { width: 512, height: 512 },
      preview: null,
    },
    engine: { backend: null, backendError: null, modelName: null, isEngineAvailable: false, tokenizer: null, modelNotice: null, backendPreference: 'auto' },
    generation: {
      settings: { prompt: '', negativePrompt: '', seed: 1, isSeedLocked: false, steps: 30, guidance: 7.5, sampler: 'DDIM', batch: 1, size: 512 },
      status: { kind: 'idle' },
      progress: null,
      images: [],
    },
    edit: {
      source: null, mode: 'inpaint', mask: createHistory(emptyLayer(EDIT_LAYER_ID)), preview: null, view: { scale: 1, offsetX: 0, offsetY: 0 },
      strength: 0.75, maskBlur: 4, invertMask: false, onlyMasked: false, maskedPadding: DEFAULT_MASKED_PADDING, status: { kind: 'idle' }, progress: null, images: [],
    },
    networks: { items: [], notice: null, isAdding: false },
    training: { preset: TRAIN_PRESETS[0]!.id, settings: TRAIN_PRESETS[0]!.settings, status: { kind: 'idle' }, progress: null, lossHistory: [], attention: null, attentionHistory: [], sampleEvery: 0, sample: null, learnedTokens: [], trainedOn: null, runs: [], activeRunId: null, appliedRunId: null, isStopping: false, paceBook: EMPTY_PACE_BOOK },
    persistence: { saveStatus: 'idle', persistenceMessage: null },
    gallery: { items: [], notice: null },
  };
}
