// Plugs the browser engine into the store: the store gets a lazy EnginePort at creation (its calls wait for the
// model), and once the generation worker has loaded the model the engine state (name, backend, tokenizer) is
// set. The runtime can be forced with ?ep=wasm|webgpu and the demo model with ?model=demo (e2e tests). Reference: workers/engineClient.ts, the studio's model panel.
import { describeErrorSentence } from '../lib/errors';
import { initialStudioData } from '../state/index';
import type { EnginePort, StudioState, StudioStore } from '../state/index';
import type { StudioEngine } from '../workers/engineClient';
import { chooseModel, createStudioEngine } from '../workers/engineClient';
import { zipStored } from './zip';

/** `ready` is replaced when the user loads another model (app/localModel.ts); `port` always uses the current one. */
export type EngineHandle = { port: EnginePort; ready: Promise<StudioEngine> };

export function runtimePreference(): 'auto' | 'webgpu' | 'wasm' {
  const ep = new URLSearchParams(globalThis.location?.search ?? '').get('ep');
  return ep === 'wasm' || ep === 'webgpu' ? ep : 'auto';
}

/** ?model=demo picks the tiny random-weight demo model even when the default model is shipped (e2e tests). */
function modelPreference(): 'default' | 'demo' {
  return new URLSearchParams(globalThis.location?.search ?? '').get('model') === 'demo' ? 'demo' : 'default';
}

/** The studio's own model: public/models/default, else the demo (or the demo with ?model=demo). */
export function openDefaultModel(): Promise<StudioEngine> {
  return chooseModel(undefined, modelPreference()).then((choice) => createStudioEngine(choice, { prefer: runtimePreference() }));
}

/** Starts loading the model `open` picks (called on the next microtask); `port` may be handed to the store right away. */
export function startEngine(open: () => Promise<StudioEngine> = openDefaultModel): EngineHandle {
  const ready = Promise.resolve().then(open);
  ready.catch(() => undefined);
  const handle: EngineHandle = {
    ready,
    port: {
      modelName: 'loading model…',
      samplers: ['ddim', 'euler-a', 'ddpm'],
      generate: async (req, onProgress, signal) => (await handle.ready).generate(req, onProgress, signal),
      train: async (req, onProgress, signal, pause) => (await handle.ready).train(req, onProgress, signal, pause),
    },
  };
  return handle;
}

/** A small model (native size under 256 px) starts at its native size instead of the SD default of 512 px. */
function adaptSize(g: StudioState['generation'], nativeSize: number): StudioState['generation'] {
  const isInitial = g.settings.size === initialStudioData().generation.settings.size;
  return isInitial && nativeSize < 256 ? { ...g, settings: { ...g.settings, size: nativeSize } } : g;
}

/** Reports the loaded model (or the load failure) to the store. */
export function reportEngine(store: StudioStore, handle: EngineHandle): void {
  handle.ready.then(
    (engine) => {
      store.setState((s) => ({
        engine: { ...s.engine, modelName: engine.modelName, isEngineAvailable: true, tokenizer: engine.tokenizer },
        training: { ...s.training, learnedTokens: engine.learnedTokens },
        generation: adaptSize(s.generation, engine.nativeSize),
      }));
      store.getState().setBackend(engine.backend);
    },
    (e: unknown) => {
      store.setState((s) => ({ engine: { ...s.engine, modelName: null, isEngineAvailable: false } }));
      store.getState().setBackendError(`The model could not be loaded: ${describeErrorSentence(e)} Load another model below; the project is kept.`);
    },
  );
}

/** Downloads every concept pack trained in this session (pack folders + ecosystem files of the latest run) as a ZIP. */
export async function downloadConceptPacks(handle: EngineHandle): Promise<void> {
  const engine = await handle.ready;
  const files = new Map<string, Uint8Array>();
  engine.packs.forEach((pack, i) => Object.entries(pack).forEach(([name, bytes]) => files.set(`pack-${i + 1}/${name}`, bytes)));
  Object.entries(engine.lastExport).forEach(([name, bytes]) => files.set(`ecosystem/${name}`, bytes));
  const url = URL.createObjectURL(new Blob([zipStored(files) as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'disenstudio-concept-packs.zip';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
