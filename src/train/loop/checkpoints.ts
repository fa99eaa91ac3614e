// Checkpoint bytes (one safetensors file: float32 params + "disenstudio.checkpoint" JSON metadata with step,
// batch index and rollbacks) and the in-memory CheckpointStore. Pure; the Node folder store and the browser
// IndexedDB store (nodeCheckpointStore.ts, idbCheckpointStore.ts) only move these bytes.
import { ModelAssetError } from '../../lib/errors';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import type { HostTensor } from '../../runtime/index';
import type { Checkpoint, CheckpointStore } from './types';

const META = 'disenstudio.checkpoint';

/** Checks every value of every parameter is finite (the NaN/Inf guard on host copies). */
export function isFiniteParams(params: Record<string, HostTensor>): boolean {
  for (const t of Object.values(params)) {
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  }
  return true;
}

/** Deep copy (fresh arrays), so a stored checkpoint never aliases live buffers. */
export function cloneCheckpoint(c: Checkpoint): Checkpoint {
  const params = Object.fromEntries(Object.entries(c.params).map(([k, t]) => [k, { dtype: t.dtype, dims: [...t.dims], data: t.data.slice() }]));
  return { step: c.step, batchIndex: c.batchIndex, rollbacks: c.rollbacks, params };
}

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of Object.entries(c.params)) tensors[name] = { dtype: 'F32', shape: [...t.dims], data: t.data as Float32Array };
  return writeSafetensors(tensors, { [META]: JSON.stringify({ step: c.step, batchIndex: c.batchIndex, rollbacks: c.rollbacks }) });
}

/** @throws ModelAssetError when the bytes are not a checkpoint written by encodeCheckpoint */
export function decodeCheckpoint(bytes: Uint8Array, label: string): Checkpoint {
  const file = readSafetensors(bytes);
  const raw = file.metadata[META];
  if (!raw) throw new ModelAssetError(`${label} is not a DisenStudio training checkpoint (no "${META}" metadata)`);
  const meta = JSON.parse(raw) as { step: number; batchIndex: number; rollbacks: number };
  const params: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(file.tensors)) params[name] = { dtype: 'float32', dims: [...t.shape], data: tensorToFloat32(name, t) };
  return { ...meta, params };
}

/** Keeps the latest checkpoint in memory (tests, and the loop's own rollback copy). */
export class MemoryCheckpointStore implements CheckpointStore {
  private latest: Checkpoint | undefined;
  /** how many times save() ran */
  saves = 0;
  async save(c: Checkpoint): Promise<void> {
    this.latest = cloneCheckpoint(c);
    this.saves++;
  }
  async load(): Promise<Checkpoint | undefined> {
    return this.latest && cloneCheckpoint(this.latest);
  }
  async clear(): Promise<void> {
    this.latest = undefined;
  }
}
