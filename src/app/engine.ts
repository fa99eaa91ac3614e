// Plugs the browser engine into the store: the store gets a lazy EnginePort at creation (its calls wait for the
// model), and once the generation worker has loaded the model the engine state (name, backend, tokenizer) is
// set. The runtime can be forced with ?ep=wasm|webgpu and the demo model with ?model=demo (e2e tests). Reference: workers/engineClient.ts, the studio's model panel.
import { describeErrorSentence } from '../lib/errors';
import { initialStudioData, SAMPLER_NAMES } from '../state/index';
import type { BackendSwitchPort, EnginePort, StudioState, StudioStore } from '../state/index';
import type { StudioEngine } from '../workers/engineClient';
import { createStudioEngine } from '../workers/engineClient';
import { chooseModel } from '../workers/modelChoice';
import { zipStored } from './zip';

/** `ready` is replaced when the user loads another model (app/localModel.ts); `port` always uses the current one. */
export type EngineHandle = { port: EnginePort; ready: Promise<StudioEngine> };

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
/** localStorage key of the backend the user picked in the Model panel ('auto' = the faster measured one). */
export const BACKEND_PREFERENCE_KEY = 'disenstudio.backend';

function isPreference(v: string | null | undefined): v is BackendPreference {
  return v === 'auto' || v === 'wasm' || v === 'webgpu';
}

/** The user's backend choice (persisted), 'auto' when none or when storage is unavailable. */
export function storedBackendPreference(): BackendPreference {
  try {
    const v = globalThis.localStorage?.getItem(BACKEND_PREFERENCE_KEY);
    return isPreference(v) ? v : 'auto';
  } catch {
    return 'auto';
  }
}

/** ?ep=wasm|webgpu (tests) forces the EP and skips the probe; else the stored choice, with both EPs timed for the Model panel. */
export function runtimeChoice(): { prefer: BackendPreference; shouldMeasure: boolean } {
  const ep = new URLSearchParams(globalThis.location?.search ?? '').get('ep');
  if (ep === 'wasm' || ep === 'webgpu') return { prefer: ep, shouldMeasure: false };
  return { prefer: storedBackendPreference(), shouldMeasure: true };
}

/** Whether ?ep= forces the backend (then the Model panel's switch is disabled and says why). */
export function isBackendForcedByUrl(): boolean {
  const ep = new URLSearchParams(globalThis.location?.search ?? '').get('ep');
  return ep === 'wasm' || ep === 'webgpu';
}

/** ?model=demo picks the tiny random-weight demo model even when the default model is shipped (e2e tests). */
function modelPreference(): 'default' | 'demo' {
  return new URLSearchParams(globalThis.location?.search ?? '').get('model') === 'demo' ? 'demo' : 'default';
}

/** The studio's own model: public/models/default, else the demo (or the demo with ?model=demo). */
export function openDefaultModel(): Promise<StudioEngine> {
  return chooseModel(undefined, modelPreference()).then((choice) => createStudioEngine(choice, runtimeChoice()));
}

/** The current engine's LoRA / embedding port (every engine made by createStudioEngine has one). */
async function networksOf(handle: EngineHandle): Promise<NonNullable<EnginePort['networks']>> {
  const engine = await handle.ready;
  if (!engine.networks) throw new Error('this engine reads no LoRA or embedding files');
  return engine.networks;
}

/** Starts loading the model `open` picks (called on the next microtask); `port` may be handed to the store right away. */
export function startEngine(open: () => Promise<StudioEngine> = openDefaultModel): EngineHandle {
  const ready = Promise.resolve().then(open);
  ready.catch(() => undefined);
  const handle: EngineHandle = {
    ready,
    port: {
      modelName: 'loading model…',
      samplers: SAMPLER_NAMES,
      generate: async (req, onProgress, signal) => (await handle.ready).generate(req, onProgress, signal),
      train: async (req, onProgress, signal, pause) => (await handle.ready).train(req, onProgress, signal, pause),
      networks: {
        restore: async () => (await networksOf(handle)).restore(),
        add: async (fileName, bytes) => (await networksOf(handle)).add(fileName, bytes),
        remove: async (id) => (await networksOf(handle)).remove(id),
        saveSettings: async (items) => (await networksOf(handle)).saveSettings(items),
      },
      useRun: async (runId) => (await handle.ready).useRun(runId),
      packsInUse: async () => (await handle.ready).packsInUse(),
      importPacks: async (packs, label) => (await handle.ready).importPacks(packs, label),
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
        engine: { ...s.engine, modelName: engine.modelName, isEngineAvailable: true, tokenizer: engine.tokenizer, modelDescription: engine.description },
        training: { ...s.training, learnedTokens: engine.learnedTokens },
        generation: adaptSize(s.generation, engine.nativeSize),
      }));
      store.getState().setBackend(engine.backend);
      // the LoRA / embedding list is the loaded model's (kept per model folder)
      void store.getState().restoreNetworks();
    },
    (e: unknown) => {
      store.setState((s) => ({ engine: { ...s.engine, modelName: null, isEngineAvailable: false } }));
      store.getState().setBackendError(`The model could not be loaded: ${describeErrorSentence(e)} Load another model below; the project is kept.`);
    },
  );
}

/**
 * Downloads every concept pack trained in this session as a ZIP: the pack folders and the latest run's files for other
 * tools, written now (the SVD LoRA and the Custom Diffusion file take seconds for SD 1.5; TrainingOutput shows it).
 */
export async function downloadConceptPacks(handle: EngineHandle): Promise<void> {
  const engine = await handle.ready;
  const files = new Map<string, Uint8Array>();
  engine.packs.forEach((pack, i) => Object.entries(pack).forEach(([name, bytes]) => files.set(`pack-${i + 1}/${name}`, bytes)));
  Object.entries(await engine.exportForTools()).forEach(([name, bytes]) => files.set(`ecosystem/${name}`, bytes));
  const url = URL.createObjectURL(new Blob([zipStored(files) as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'disenstudio-concept-packs.zip';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The store's BackendSwitchPort: stores the choice, then re-opens the project's model on it in a fresh engine. */
export function backendSwitch(store: () => StudioStore, handle: EngineHandle, reopen: () => Promise<StudioEngine>): BackendSwitchPort {
  return {
    initial: isBackendForcedByUrl() ? runtimeChoice().prefer : storedBackendPreference(),
    lockedReason: isBackendForcedByUrl() ? 'The address forces the backend (?ep=…); remove it from the URL to switch here.' : null,
    async choose(preference) {
      globalThis.localStorage?.setItem(BACKEND_PREFERENCE_KEY, preference);
      await swapEngine(store(), handle, reopen);
    },
  };
}

/** Replaces the handle's engine by `open()`'s (the old one is disposed), reports it to the store, and waits for it. */
export async function swapEngine(store: StudioStore, handle: EngineHandle, open: () => Promise<StudioEngine>): Promise<void> {
  const previous = handle.ready;
  const next = open();
  handle.ready = next;
  next.catch(() => undefined);
  void previous.then((engine) => engine.dispose(), () => undefined);
  reportEngine(store, handle);
  await next;
}
