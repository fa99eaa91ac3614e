// Named device tensors owned by the training engine (parameters, moments, accumulators) and their lifetime:
// each step's outputs replace the previous tensors, which are disposed. No host round trip of the values.
// Reference: runtime/types.ts (DeviceTensor ownership: the receiver of a run output disposes it).
import type { DeviceTensor, HostTensor, Runner } from '../../runtime/index';

export class DeviceState {
  /** input name (`p`, `m/p`, `acc/p`) → device tensor owned by this object */
  private tensors = new Map<string, DeviceTensor>();

  /** Uploads every host tensor; the returned state owns the device copies. */
  static async upload(runner: Runner, values: Record<string, HostTensor>): Promise<DeviceState> {
    const s = new DeviceState();
    for (const [name, t] of Object.entries(values)) s.tensors.set(name, await runner.upload(t));
    return s;
  }

  get names(): string[] {
    return [...this.tensors.keys()];
  }

  /** The tensors as feeds (still owned here: do not dispose them). */
  feeds(): Record<string, DeviceTensor> {
    return Object.fromEntries(this.tensors);
  }

  /** Takes ownership of `next` (same names) and disposes the tensors it replaces. */
  replace(next: Record<string, DeviceTensor>): void {
    for (const [name, t] of Object.entries(next)) {
      if (!this.tensors.has(name)) throw new Error(`DeviceState.replace: unknown name "${name}" (have ${this.names.join(', ')})`);
      this.tensors.get(name)?.dispose();
      this.tensors.set(name, t);
    }
  }

  /** Copies the named tensors to the host (fresh arrays the caller owns). */
  async download(names: readonly string[]): Promise<Record<string, HostTensor>> {
    const out: Record<string, HostTensor> = {};
    for (const n of names) {
      const t = this.tensors.get(n);
      if (!t) throw new Error(`DeviceState.download: unknown name "${n}" (have ${this.names.join(', ')})`);
      const h = await t.download();
      out[n] = { dtype: h.dtype, dims: [...h.dims], data: h.data.slice() };
    }
    return out;
  }

  dispose(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
  }
}

/** Disposes every tensor of a record (for outputs that are dropped, e.g. a skipped step). */
export function disposeAll(tensors: Record<string, DeviceTensor>): void {
  for (const t of Object.values(tensors)) t.dispose();
}
