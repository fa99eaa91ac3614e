// The studio store factory: one vanilla zustand store per call, combining the slices with injected ports.
// No module singleton (tests create a fresh store each). No React here (docs/house-style.md §9, §12).
// Reference: zustand src/vanilla.ts, xyflow packages/react/src/store/index.ts.
import { createStore } from 'zustand/vanilla';
import { emptyLayer } from '../editor/index';
import { nextConceptDefaults } from './concepts';
import { initialStudioData } from './initialState';
import { createEditorSlice } from './slices/editorSlice';
import { createEngineSlice } from './slices/engineSlice';
import { createGallerySlice } from './slices/gallerySlice';
import { createGenerationSlice } from './slices/generationSlice';
import { createEditSlice } from './slices/editSlice';
import { createNetworksSlice } from './slices/networksSlice';
import { createPersistenceSlice } from './slices/persistenceSlice';
import { createProjectSlice } from './slices/projectSlice';
import { createTrainingSlice } from './slices/trainingSlice';
import type { SliceContext, StudioDeps, StudioState, StudioStore } from './slices/sliceTypes';
import type { StudioData } from './types';

export type { StudioDeps, StudioState, StudioStore };

/** Default deps: nothing plugged in, seeds from a counter (tests override what they need). */
function defaultDeps(): StudioDeps {
  let n = 0;
  return { engine: null, tokenizer: null, storage: null, modelSnapshots: null, randomSeed: () => (n = (n * 1103515245 + 12345) >>> 0) };
}

/** A fresh project: one concept with an empty mask, selected. */
function firstData(deps: StudioDeps): StudioData {
  const base = initialStudioData();
  const { token, color } = nextConceptDefaults([]);
  const concept = { id: 'c1', token, classWord: '', color };
  return {
    ...base,
    project: { ...base.project, concepts: [concept] },
    editor: { ...base.editor, activeConceptId: concept.id, masks: { past: [], present: { c1: emptyLayer('c1') }, future: [] } },
    engine: { ...base.engine, isEngineAvailable: deps.engine !== null, modelName: deps.engine?.modelName ?? null, tokenizer: deps.tokenizer, backendPreference: deps.backendSwitch?.initial ?? 'auto' },
  };
}

/**
 * Creates a studio store.
 * @param partialDeps engine, tokenizer, storage and seed source; missing ones are null ("not available")
 * @example const store = createStudioStore({ storage: memoryStorage() }); store.getState().addConcept();
 */
export function createStudioStore(partialDeps: Partial<StudioDeps> = {}): StudioStore {
  const deps: StudioDeps = { ...defaultDeps(), ...partialDeps };
  return createStore<StudioState>()((setRaw, get) => {
    const ctx: SliceContext = { set: (update) => setRaw((s) => update(s)), get, deps };
    return {
      ...firstData(deps),
      ...createProjectSlice(ctx),
      ...createEditorSlice(ctx),
      ...createEngineSlice(ctx),
      ...createGenerationSlice(ctx),
      ...createEditSlice(ctx),
      ...createNetworksSlice(ctx),
      ...createTrainingSlice(ctx),
      ...createPersistenceSlice(ctx),
      ...createGallerySlice(ctx),
    };
  });
}
