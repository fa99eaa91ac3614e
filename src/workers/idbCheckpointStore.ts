// Browser CheckpointStore over IndexedDB (windows and Web Workers): the `training` database of idb.ts, key = run id,
// value = the checkpoint's safetensors bytes. Only moves bytes; encoding is train/loop/checkpoints.ts.
// Reference: docs/ecosystem.md §9 item 4 (checkpoint to IndexedDB).
import { decodeCheckpoint, encodeCheckpoint } from '../train/index';
import type { Checkpoint, CheckpointStore } from '../train/index';
import { openIdbStore } from './idb';

export class IdbCheckpointStore implements CheckpointStore {
  private readonly store = openIdbStore<Uint8Array>('training');

  /** @param runId key of this run's checkpoint (e.g. the project id) */
  constructor(readonly runId: string) {}

  async save(c: Checkpoint): Promise<void> {
    await this.store.put(this.runId, encodeCheckpoint(c));
  }

  async load(): Promise<Checkpoint | undefined> {
    const bytes = await this.store.get(this.runId);
    return bytes && decodeCheckpoint(bytes, `${this.store.where}/${this.runId}`);
  }

  async clear(): Promise<void> {
    await this.store.delete(this.runId);
  }
}
