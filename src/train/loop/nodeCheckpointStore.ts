// Node-only CheckpointStore: "<folder>/checkpoint.safetensors", written to a temporary name and renamed so a
// crash mid-write never leaves a torn checkpoint. Never imported by browser code (node:fs).
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoints';
import type { Checkpoint, CheckpointStore } from './types';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';

export class NodeCheckpointStore implements CheckpointStore {
  constructor(readonly folder: string) {}

  async save(c: Checkpoint): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const tmp = join(this.folder, `${CHECKPOINT_FILE}.tmp`);
    await writeFile(tmp, encodeCheckpoint(c));
    await rename(tmp, join(this.folder, CHECKPOINT_FILE));
  }

  async load(): Promise<Checkpoint | undefined> {
    const path = join(this.folder, CHECKPOINT_FILE);
    const bytes = await readFile(path).catch(() => undefined);
    return bytes && decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  }

  async clear(): Promise<void> {
    await rm(join(this.folder, CHECKPOINT_FILE), { force: true });
  }
}
