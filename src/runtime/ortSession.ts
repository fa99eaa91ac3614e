// A Session over any onnxruntime flavour (web or node share the onnxruntime-common API): one serialized call
// queue per session, host/device tensor conversion, dispose discipline, errors wrapped with the session name.
// The ORT module is passed in (web.ts / node.ts import it), so this file imports no onnxruntime package itself.
import { RuntimeFailure } from '../lib/errors';
import type { DType } from '../onnx/index';
import type { BackendInfo, DeviceTensor, Feed, HostData, HostTensor, RunOptions, RunResult, Session } from './types';
import { isDeviceTensor } from './types';

/** The subset of onnxruntime-common that this module uses (typed loosely on purpose: two packages). */
export type OrtLike = {
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(bytes: Uint8Array, options?: Record<string, unknown>): Promise<OrtInferenceSession> };
};
export type OrtTensor = {
  type: string;
  dims: readonly number[];
  data: unknown;
  location: string;
  getData(releaseData?: boolean): Promise<unknown>;
  dispose(): void;
};
type OrtInferenceSession = {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[] | Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
};

/** Device-resident tensor wrapper (see DeviceTensor). */
export class OrtDeviceTensor implements DeviceTensor {
  readonly kind = 'device' as const;
  private disposed = false;
  constructor(readonly tensor: OrtTensor, readonly dtype: DType) {}
  get dims(): readonly number[] {
    return this.tensor.dims;
  }
  get location(): string {
    return this.tensor.location;
  }
  async download(): Promise<HostTensor> {
    if (this.disposed) throw new Error('download() after dispose()');
    const data = (await this.tensor.getData()) as HostData;
    return { dtype: this.dtype, dims: [...this.tensor.dims], data };
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tensor.dispose();
  }
}

export function toOrtTensor(ort: OrtLike, t: HostTensor): OrtTensor {
  return new ort.Tensor(t.dtype === 'bool' ? 'bool' : t.dtype, t.data, t.dims);
}

export class OrtSession implements Session {
  private queue: Promise<unknown> = Promise.resolve();
  private released = false;

  constructor(
    readonly name: string,
    private readonly ort: OrtLike,
    private readonly session: OrtInferenceSession,
    readonly backend: BackendInfo,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  run(feeds: Record<string, Feed>, options: RunOptions = {}): Promise<RunResult> {
    const next = this.queue.then(() => this.runNow(feeds, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(feeds: Record<string, Feed>, options: RunOptions): Promise<RunResult> {
    if (this.released) throw new RuntimeFailure(this.name, 'run() after dispose()');
    const missing = this.session.inputNames.filter((n) => !(n in feeds));
    if (missing.length) throw new RuntimeFailure(this.name, `missing feeds: ${missing.join(', ')}`);
    const created: OrtTensor[] = [];
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const name of this.session.inputNames) {
      const f = feeds[name] as Feed;
      if (isDeviceTensor(f)) ortFeeds[name] = (f as OrtDeviceTensor).tensor;
      else {
        const t = toOrtTensor(this.ort, f);
        created.push(t);
        ortFeeds[name] = t;
      }
    }
    let out: Record<string, OrtTensor>;
    try {
      out = await this.session.run(ortFeeds, options.fetch ? [...options.fetch] : undefined);
    } catch (e) {
      throw new RuntimeFailure(this.name, e instanceof Error ? e.message : String(e), e);
    } finally {
      for (const t of created) t.dispose();
    }
    const keep = new Set(options.keepOnDevice ?? []);
    const result: RunResult = {};
    for (const [name, t] of Object.entries(out)) {
      const dtype = t.type as DType;
      if (keep.has(name)) result[name] = new OrtDeviceTensor(t, dtype);
      else {
        const data = (await t.getData(true)) as HostData;
        result[name] = { dtype, dims: [...t.dims], data };
        if (t.location !== 'cpu') t.dispose();
      }
    }
    return result;
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue;
    await this.session.release();
  }
}
