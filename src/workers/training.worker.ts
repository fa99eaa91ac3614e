// Web Worker entry of personalization training: wires trainingHost to `self.postMessage` / `onmessage`, the
// browser runtime (initRuntime: WebGPU, else wasm — the explicit fallback policy of src/runtime) and IndexedDB
// for checkpoints and regularisation images. Load with `new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' })`.
import { initRuntime } from '../runtime/index';
import { IdbCheckpointStore } from './idbCheckpointStore';
import { idbBlobCache } from './idbBlobCache';
import type { FromTrainingWorker, ToTrainingWorker } from './protocol';
import { createTrainingHost } from './trainingHost';

const scope = self as unknown as { postMessage(m: FromTrainingWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToTrainingWorker>) => void) | null };

function transferList(m: FromTrainingWorker): Transferable[] {
  if (m.type !== 'done') return [];
  return [...new Set([...Object.values(m.packFiles), ...Object.values(m.exportFiles)].map((b) => b.buffer as ArrayBuffer))];
}

const handle = createTrainingHost((m) => scope.postMessage(m, transferList(m)), {
  createRunner: (start) => initRuntime(start.runtime),
  checkpointStore: (runId) => new IdbCheckpointStore(runId),
  blobCache: idbBlobCache,
});

scope.onmessage = (e) => handle(e.data);
