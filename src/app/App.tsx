// Composition root: creates the studio store with its ports, restores the project, starts loading its model in the
// generation worker (a kept local model re-opened from browser storage, else the default model, else the random-weight
// demo), autosaves the project, provides the training panel's memory planner for the model in use, and renders the layout.
// Reference: docs/house-style.md §9 (app/), the studio's model panel, persistence and export.
import { useEffect, useState } from 'react';
import { createStudioStore } from '../state/index';
import type { StudioStore } from '../state/index';
import { MemoryPlannerContext, StudioLayout, StudioProvider } from '../ui/index';
import '../ui/styles.css';
import { readGenerationSettings, readPngText } from '../diffusion/index';
import { startAutosave } from './autosave';
import { examplePort } from './example';
import { backendSwitch, downloadConceptPacks, openDefaultModel, reportEngine, startEngine, swapEngine } from './engine';
import type { EngineHandle } from './engine';
import { createBrowserStorage } from './idbStorage';
import { openModelShelf, openProjectModel, shelfPort } from './keptModel';
import type { ModelShelf } from './keptModel';
import { loadLocalModel } from './localModel';
import { useMemoryPlanner } from './memoryPlanner';
import { readStoredZip, zipStored } from './zip';

function cryptoSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

type Boot = { engine: EngineHandle; store: StudioStore; shelf: ModelShelf; restored: Promise<boolean> };

/** Store, project restore and engine: the engine opens the project's model once the restore has settled. */
function boot(): Boot {
  const shelf = openModelShelf();
  const { storage, fallbackReason } = createBrowserStorage();
  const late: { store?: StudioStore; restored?: Promise<boolean> } = {};
  const engine = startEngine(() => openProjectModel(late.store!, shelf, late.restored!, openDefaultModel));
  const reopen = () => openProjectModel(late.store!, shelf, late.restored!, openDefaultModel);
  const store = createStudioStore({ engine: engine.port, tokenizer: null, storage, modelSnapshots: { ...shelfPort(shelf), openDefault: () => swapEngine(late.store!, engine, openDefaultModel) }, randomSeed: cryptoSeed, backendSwitch: backendSwitch(() => late.store!, engine, reopen), examples: examplePort, pngSettings: PNG_SETTINGS, archive: { write: zipStored, read: readStoredZip } });
  if (fallbackReason) store.setState({ persistence: { saveStatus: 'error', persistenceMessage: `Not saved: ${fallbackReason}.` } });
  late.store = store;
  late.restored = store.getState().loadProject();
  void store.getState().restoreRuns();
  void store.getState().restoreGallery();
  return { engine, store, shelf, restored: late.restored };
}

/** Settings from a dropped PNG's text chunks (A1111, ComfyUI, the studio's own). */
const PNG_SETTINGS = { read: (bytes: Uint8Array) => readGenerationSettings(readPngText(bytes)) };

export function App() {
  const [{ engine, store, shelf, restored }] = useState(boot);
  const planner = useMemoryPlanner(store, engine);
  useEffect(() => {
    reportEngine(store, engine);
    return startAutosave(store, restored);
  }, [store, engine, restored]);
  return (
    <StudioProvider store={store}>
      <MemoryPlannerContext.Provider value={planner}>
        <StudioLayout engineSamplers={engine.port.samplers} onExportPack={() => downloadConceptPacks(engine)} onLoadModel={(files) => void loadLocalModel(store, engine, shelf, files)} />
      </MemoryPlannerContext.Provider>
    </StudioProvider>
  );
}
