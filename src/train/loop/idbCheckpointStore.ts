// Browser CheckpointStore over IndexedDB (works in windows and Web Workers): one object store, key = run id,
// value = the checkpoint's safetensors bytes. Only moves bytes; encoding is checkpoints.ts. Untested in Node
// (no IndexedDB there); the e2e suite covers it. Reference: docs/ecosystem.md §9 item 4 (checkpoint to IndexedDB).
import { RuntimeFailure } from '../../lib/errors';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoints';
import type { Checkpoint, CheckpointStore } from './types';

const DB = 'disenstudio-training';
const STORE = 'checkpoints';

function request<T>(r: IDBRequest<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new RuntimeFailure('indexeddb', `${what} failed: ${r.error?.message ?? 'unknown error'}`));
  });
}

export class IdbCheckpointStore implements CheckpointStore {
  private db: Promise<IDBDatabase> | undefined;

  /** @param runId key of this run's checkpoint (e.g. the project id) */
  constructor(readonly runId: string) {}

  private open(): Promise<IDBDatabase> {
    if (!this.db) {
      const r = globalThis.indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      this.db = request(r, 'open');
    }
    return this.db;
  }

  private async store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  async save(c: Checkpoint): Promise<void> {
    await request((await this.store('readwrite')).put(encodeCheckpoint(c), this.runId), 'save');
  }

  async load(): Promise<Checkpoint | undefined> {
    const bytes = (await request((await this.store('readonly')).get(this.runId), 'load')) as Uint8Array | undefined;
    return bytes && decodeCheckpoint(bytes, `IndexedDB ${DB}/${STORE}/${this.runId}`);
  }

  async clear(): Promise<void> {
    await request((await this.store('readwrite')).delete(this.runId), 'clear');
  }
}
