// Composition root: creates the studio store with its ports, detects the backend, restores and autosaves
// the project, and renders the layout. The engine port stays null until the engine exists (issue 4/6).
// Reference: house-style.md §9 (app/), issue 7 §4 and §8.
import { useEffect, useState } from 'react';
import { detectBackend } from '../runtime/index';
import { createStudioStore } from '../state/index';
import type { EnginePort, StudioStore, TokenizerPort } from '../state/index';
import { StudioLayout, StudioProvider } from '../ui/index';
import '../ui/styles.css';
import { startAutosave } from './autosave';
import { createBrowserStorage } from './idbStorage';

/** TODO(issue 4/6): plug the diffusion/training engine and the CLIP tokenizer in here once they exist. */
const engine: EnginePort | null = null;
const tokenizer: TokenizerPort | null = null;

function cryptoSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function createAppStore(): StudioStore {
  const { storage, fallbackReason } = createBrowserStorage();
  const store = createStudioStore({ engine, tokenizer, storage, randomSeed: cryptoSeed });
  if (fallbackReason) store.setState({ persistence: { saveStatus: 'error', persistenceMessage: `Not saved: ${fallbackReason}.` } });
  return store;
}

export function App() {
  const [store] = useState(createAppStore);
  useEffect(() => {
    detectBackend().then(
      (info) => store.getState().setBackend(info),
      (e: unknown) => store.getState().setBackendError(e instanceof Error ? e.message : String(e)),
    );
    return startAutosave(store);
  }, [store]);
  return (
    <StudioProvider store={store}>
      <StudioLayout engineSamplers={engine?.samplers} />
    </StudioProvider>
  );
}
