// Composition root: creates the studio store with its ports, starts loading the model in the generation worker
// (default model, else the random-weight demo), restores and autosaves the project, provides the training
// panel's memory planner for the model in use, and renders the layout.
// Reference: house-style.md §9 (app/), issue 7 §4 and §8.
import { useEffect, useState } from 'react';
import { createStudioStore } from '../state/index';
import type { StudioStore } from '../state/index';
import { MemoryPlannerContext, StudioLayout, StudioProvider } from '../ui/index';
import '../ui/styles.css';
import { startAutosave } from './autosave';
import { downloadConceptPacks, reportEngine, startEngine } from './engine';
import type { EngineHandle } from './engine';
import { createBrowserStorage } from './idbStorage';
import { loadLocalModel } from './localModel';
import { useMemoryPlanner } from './memoryPlanner';

function cryptoSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function createAppStore(engine: EngineHandle): StudioStore {
  const { storage, fallbackReason } = createBrowserStorage();
  const store = createStudioStore({ engine: engine.port, tokenizer: null, storage, randomSeed: cryptoSeed });
  if (fallbackReason) store.setState({ persistence: { saveStatus: 'error', persistenceMessage: `Not saved: ${fallbackReason}.` } });
  return store;
}

export function App() {
  const [engine] = useState(startEngine);
  const [store] = useState(() => createAppStore(engine));
  const planner = useMemoryPlanner(store, engine);
  useEffect(() => {
    reportEngine(store, engine);
    return startAutosave(store);
  }, [store, engine]);
  return (
    <StudioProvider store={store}>
      <MemoryPlannerContext.Provider value={planner}>
        <StudioLayout engineSamplers={engine.port.samplers} onExportPack={() => void downloadConceptPacks(engine)} onLoadModel={(files) => void loadLocalModel(store, engine, files)} />
      </MemoryPlannerContext.Provider>
    </StudioProvider>
  );
}
