// The page's link to generation.worker.ts: request/answer matching over postMessage, per-run progress callbacks,
// and "restart" (terminate the busy worker and spawn a fresh one with the model, packs and LoRA files loaded: a running ORT call
// never yields to onmessage, so cancel cannot be a message). Main thread only. Reference: generation.worker.ts.
import type { GenerateProgress } from '../state/index';
import type { FromGenerationWorker, ToGenerationWorker } from './protocol';
import { settledKey } from './generationKeys';

type Pending = { resolve(m: FromGenerationWorker): void; reject(e: Error): void };
type Loaded = Extract<FromGenerationWorker, { type: 'loaded' }>;
/** The loaded model's memory profile, or why it has none (generation.worker.ts postMemoryProfile). */
export type MemoryProfileAnswer = Omit<Extract<FromGenerationWorker, { type: 'memoryProfile' }>, 'type'>;

export type GenerationLink = {
  /** the worker's answer to the load message */
  readonly loaded: Loaded;
  /** the worker's 'memoryProfile' message (posted after 'loaded'; a restart recomputes it only if it had not come yet) */
  readonly memoryProfile: Promise<MemoryProfileAnswer>;
  /** sends `m` to the current worker (after any restart) and waits for the answer filed under `key` */
  call(key: string, m: ToGenerationWorker): Promise<FromGenerationWorker>;
  /** per-step progress of generation `id` goes to `fn` until `off(id)` */
  on(id: number, fn: (p: GenerateProgress) => void): void;
  off(id: number): void;
  /** ends the busy worker, rejects `key` with AbortError and spawns a fresh one with `packs` applied and the
   *  LoRA / embedding files of `networks` read again */
  restart(key: string, packs: readonly Record<string, Uint8Array>[], networks?: readonly Extract<ToGenerationWorker, { type: 'network' }>[]): void;
  dispose(): void;
};

function send(worker: Worker, waiting: Map<string, Pending>, key: string, m: ToGenerationWorker): Promise<FromGenerationWorker> {
  return new Promise((resolve, reject) => {
    waiting.set(key, { resolve, reject });
    worker.postMessage(m);
  });
}

/** Spawns the generation worker and loads the model (rejects with the worker's message when the model is refused). */
export async function openGenerationLink(load: Extract<ToGenerationWorker, { type: 'load' }>): Promise<GenerationLink> {
  const waiting = new Map<string, Pending>();
  const progress = new Map<number, (p: GenerateProgress) => void>();
  let onProfile: (a: MemoryProfileAnswer) => void = () => undefined;
  let hasProfile = false;
  const memoryProfile = new Promise<MemoryProfileAnswer>((resolve) => (onProfile = (a) => ((hasProfile = true), resolve(a))));
  const onMessage = (e: MessageEvent<FromGenerationWorker>) => {
    const m = e.data;
    if (m.type === 'memoryProfile') return onProfile({ profile: m.profile, reason: m.reason });
    if (m.type === 'progress') return progress.get(m.id)?.({ stepIndex: m.stepIndex, totalSteps: m.numSteps, preview: m.preview });
    const key = settledKey(m);
    if (key === undefined) return;
    const p = waiting.get(key);
    waiting.delete(key);
    if (m.type === 'error') p?.reject(new Error(m.message));
    else p?.resolve(m);
  };
  const spawn = async (shouldProfileMemory = false): Promise<{ worker: Worker; loaded: FromGenerationWorker }> => {
    const worker = new Worker(new URL('./generation.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = onMessage;
    const loaded = await send(worker, waiting, 'loaded', { ...load, shouldProfileMemory }).catch((e: unknown) => {
      worker.terminate();
      throw e;
    });
    return { worker, loaded };
  };
  const first = await spawn(true);
  // restarts reuse the EP the first load chose (measured once, not on every cancel)
  const firstBackend = (first.loaded as Loaded).backend;
  load = { ...load, shouldMeasure: false, runtime: { ...load.runtime, prefer: firstBackend.ep === 'webgpu' ? 'webgpu' : 'wasm' } };
  let worker = first.worker;
  let ready: Promise<unknown> = Promise.resolve();
  return {
    loaded: first.loaded as Loaded,
    memoryProfile,
    async call(key, m) {
      await ready;
      return send(worker, waiting, key, m);
    },
    on: (id, fn) => void progress.set(id, fn),
    off: (id) => void progress.delete(id),
    restart(key, packs, networks = []) {
      worker.terminate();
      waiting.get(key)?.reject(new DOMException('generation cancelled', 'AbortError'));
      waiting.delete(key);
      ready = spawn(!hasProfile).then(async (r) => {
        worker = r.worker;
        if (packs.length) await send(worker, waiting, 'packsApplied', { type: 'packs', packs: [...packs] });
        for (const n of networks) await send(worker, waiting, 'network', n).catch(() => undefined);
      });
    },
    dispose: () => worker.terminate(),
  };
}
