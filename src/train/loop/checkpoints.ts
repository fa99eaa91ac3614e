// Checkpoint bytes (one safetensors file: float32 params, optimizer slots as "optimizer/<slot>" tensors, and
// "disenstudio.checkpoint" JSON metadata with step, batch index, rollbacks and the optimizer's step count) and the
// in-memory CheckpointStore. Pure; the Node folder store and the browser IndexedDB store only move these bytes.
import { ModelAssetError } from '../../lib/errors';
import { Fields, parseJsonText } from '../../lib/schema';
import { withPath } from '../../diffusion/index';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import type { HostTensor } from '../../runtime/index';
import type { Checkpoint, CheckpointStore } from './types';

const META = 'disenstudio.checkpoint';
/** tensor-name prefix of optimizer slots inside a checkpoint file */
const SLOT_PREFIX = 'optimizer/';

type Meta = { step: number; batchIndex: number; rollbacks: number; optimizerStepCount?: number; jobKey?: string };

const cloneTensors = (ts: Record<string, HostTensor>): Record<string, HostTensor> =>
  Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, { dtype: t.dtype, dims: [...t.dims], data: t.data.slice() }]));

/** Checks every value of every parameter is finite (the NaN/Inf guard on host copies). */
export function isFiniteParams(params: Record<string, HostTensor>): boolean {
  for (const t of Object.values(params)) {
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  }
  return true;
}

/** Root mean square of each parameter (the weight-norm figure the divergence guard compares). */
export function paramRms(params: Record<string, HostTensor>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, t] of Object.entries(params)) {
    const d = t.data as Float32Array;
    let s = 0;
    for (let i = 0; i < d.length; i++) s += (d[i] as number) * (d[i] as number);
    out[name] = Math.sqrt(s / Math.max(1, d.length));
  }
  return out;
}

/** Params and, when present, optimizer slots are all finite. */
export function isFiniteCheckpoint(c: Checkpoint): boolean {
  return isFiniteParams(c.params) && (!c.optimizer || isFiniteParams(c.optimizer.slots));
}

/** Deep copy (fresh arrays), so a stored checkpoint never aliases live buffers. */
export function cloneCheckpoint(c: Checkpoint): Checkpoint {
  const out: Checkpoint = { step: c.step, batchIndex: c.batchIndex, rollbacks: c.rollbacks, params: cloneTensors(c.params), ...(c.jobKey !== undefined ? { jobKey: c.jobKey } : {}) };
  if (c.optimizer) out.optimizer = { stepCount: c.optimizer.stepCount, slots: cloneTensors(c.optimizer.slots) };
  return out;
}

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of Object.entries(c.params)) tensors[name] = { dtype: 'F32', shape: [...t.dims], data: t.data as Float32Array };
  for (const [name, t] of Object.entries(c.optimizer?.slots ?? {})) tensors[SLOT_PREFIX + name] = { dtype: 'F32', shape: [...t.dims], data: t.data as Float32Array };
  const meta: Meta = { step: c.step, batchIndex: c.batchIndex, rollbacks: c.rollbacks, ...(c.optimizer ? { optimizerStepCount: c.optimizer.stepCount } : {}), ...(c.jobKey !== undefined ? { jobKey: c.jobKey } : {}) };
  return writeSafetensors(tensors, { [META]: JSON.stringify(meta) });
}

/** @throws ModelAssetError when the bytes are not a checkpoint written by encodeCheckpoint */
export function decodeCheckpoint(bytes: Uint8Array, label: string): Checkpoint {
  const file = withPath(label, () => readSafetensors(bytes));
  const raw = file.metadata[META];
  if (!raw) throw new ModelAssetError(`${label} is not a DisenStudio training checkpoint (no "${META}" metadata)`);
  const fail = (m: string) => new ModelAssetError(`${m}; delete the checkpoint to start over`);
  const f = new Fields(`${label} metadata "${META}"`, fail);
  const o = f.object(parseJsonText(raw, `${label} metadata "${META}"`, fail), '(top level)');
  const meta: Meta = { step: f.int(o.step, 'step', 0, 1e9), batchIndex: f.int(o.batchIndex, 'batchIndex', 0, 1e12), rollbacks: f.int(o.rollbacks, 'rollbacks', 0, 1e9) };
  if (o.optimizerStepCount !== undefined) meta.optimizerStepCount = f.int(o.optimizerStepCount, 'optimizerStepCount', 0, 1e9);
  if (o.jobKey !== undefined) meta.jobKey = f.string(o.jobKey, 'jobKey', 4096);
  const params: Record<string, HostTensor> = {};
  const slots: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(file.tensors)) {
    const value: HostTensor = { dtype: 'float32', dims: [...t.shape], data: tensorToFloat32(name, t) };
    if (name.startsWith(SLOT_PREFIX)) slots[name.slice(SLOT_PREFIX.length)] = value;
    else params[name] = value;
  }
  const c: Checkpoint = { step: meta.step, batchIndex: meta.batchIndex, rollbacks: meta.rollbacks, params };
  if (meta.optimizerStepCount !== undefined) c.optimizer = { stepCount: meta.optimizerStepCount, slots };
  if (meta.jobKey !== undefined) c.jobKey = meta.jobKey;
  return c;
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
