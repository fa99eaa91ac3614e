// Browser entry of the runtime seam: onnxruntime-web's default build (JSEP WebGPU back end + wasm).
// Policy (explicit, shown in the UI): 'auto' means WebGPU when an adapter exists, else wasm with the reason; the
// studio itself times both EPs first (workers/backendProbe.ts, backendChoice.ts) and then asks for the faster one.
// initRuntime() is explicit: importing this module has no side effects.
import * as ort from 'onnxruntime-web';
import { WebGpuUnavailableError } from '../lib/errors';
import { OrtDeviceTensor, OrtSession, toOrtTensor } from './ortSession';
import type { OrtLike } from './ortSession';
import type { BackendInfo, DeviceTensor, HostTensor, Runner, Session, SessionOptions } from './types';
import { RuntimeFailure } from '../lib/errors';
import { isSoftwareAdapter } from './backendChoice';
import type { AdapterFacts } from './backendChoice';

export type WebRuntimeOptions = {
  /** 'auto' = WebGPU then wasm; 'webgpu' = fail if unavailable; 'wasm' = wasm only */
  prefer?: 'auto' | 'webgpu' | 'wasm';
  /** base URL of ort-wasm-*.wasm files (default: bundler resolves them) */
  wasmPaths?: string;
  numThreads?: number;
};

type GpuNavigator = { gpu?: { requestAdapter(): Promise<GpuAdapter | null> } };
type GpuAdapter = AdapterFacts & { info?: { vendor?: string; architecture?: string; description?: string }; features?: { has(name: string): boolean } };

/** Detects WebGPU and returns the backend to use, with the reason for a fallback. */
export async function detectBackend(prefer: WebRuntimeOptions['prefer'] = 'auto'): Promise<BackendInfo> {
  if (prefer === 'wasm') return { ep: 'wasm', reason: 'wasm requested', isFallback: false };
  const nav = (globalThis as { navigator?: GpuNavigator }).navigator;
  let reason: string;
  if (!nav?.gpu) reason = 'this browser exposes no navigator.gpu (WebGPU disabled or unsupported)';
  else {
    const adapter = await nav.gpu.requestAdapter().catch(() => null);
    if (adapter) {
      const i = adapter.info ?? {};
      const name = [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unknown adapter';
      const hasShaderF16 = adapter.features?.has('shader-f16') === true;
      const isSoftware = isSoftwareAdapter(adapter);
      return { ep: 'webgpu', adapter: isSoftware ? `${name} (software adapter: runs on the CPU)` : name, reason: 'WebGPU adapter found', isFallback: false, hasShaderF16, isSoftwareAdapter: isSoftware };
    }
    reason = 'navigator.gpu.requestAdapter() returned no adapter';
  }
  if (prefer === 'webgpu') throw new WebGpuUnavailableError(reason);
  return { ep: 'wasm', reason: `wasm fallback: ${reason}`, isFallback: true };
}

/** Initializes onnxruntime-web and returns a Runner on the chosen backend. */
export async function initRuntime(options: WebRuntimeOptions = {}): Promise<Runner> {
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  ort.env.wasm.numThreads = isolated ? (options.numThreads ?? 0) : 1;
  const backend = await detectBackend(options.prefer);
  return createWebRunner(backend);
}

function createWebRunner(backend: BackendInfo): Runner {
  const ortLike = ort as unknown as OrtLike;
  return {
    backend,
    async createSession(name: string, bytes: Uint8Array, opts: SessionOptions = {}): Promise<Session> {
      const so: ort.InferenceSession.SessionOptions = { executionProviders: [backend.ep === 'webgpu' ? 'webgpu' : 'wasm'] };
      if (opts.externalData) so.externalData = Object.entries(opts.externalData).map(([path, data]) => ({ path, data }));
      if (opts.disableCpuFallback) so.extra = { session: { disable_cpu_ep_fallback: '1' } };
      if (backend.ep === 'webgpu' && opts.deviceOutputs?.length) {
        so.preferredOutputLocation = Object.fromEntries(opts.deviceOutputs.map((n) => [n, 'gpu-buffer' as const]));
      }
      try {
        const s = await ort.InferenceSession.create(bytes, so);
        return new OrtSession(name, ortLike, s as never, backend);
      } catch (e) {
        throw new RuntimeFailure(name, `could not create session on ${backend.ep}: ${e instanceof Error ? e.message : String(e)}`, e);
      }
    },
    async upload(t: HostTensor): Promise<DeviceTensor> {
      const device = backend.ep === 'webgpu' ? ((await (ort.env.webgpu as unknown as { device?: Promise<GPUDeviceLike> }).device) ?? undefined) : undefined;
      if (!device) return new OrtDeviceTensor(toOrtTensor(ortLike, t), t.dtype);
      const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      const size = Math.ceil(bytes.byteLength / 16) * 16;
      // GPUBufferUsage: STORAGE 0x80 | COPY_SRC 0x04 | COPY_DST 0x08
      const buffer = device.createBuffer({ size, usage: 0x80 | 0x04 | 0x08 });
      device.queue.writeBuffer(buffer, 0, bytes);
      // `download` makes the tensor readable like any ORT output (training reads uploaded parameters back
      // before the first step replaced them, e.g. for the step-0 checkpoint); without it getData() throws.
      const download = () => readBack(device, buffer as GpuBufferLike, size, bytes.byteLength, t.data);
      const tensor = ort.Tensor.fromGpuBuffer(buffer as never, { dataType: t.dtype as 'float32', dims: t.dims, download: download as never, dispose: () => (buffer as GpuBufferLike).destroy() });
      return new OrtDeviceTensor(tensor as never, t.dtype);
    },
  };
}

type GpuBufferLike = { destroy(): void; mapAsync(mode: number): Promise<void>; getMappedRange(): ArrayBuffer; unmap(): void };
type GPUDeviceLike = {
  createBuffer(d: { size: number; usage: number }): unknown;
  createCommandEncoder(): { copyBufferToBuffer(src: unknown, srcOffset: number, dst: unknown, dstOffset: number, size: number): void; finish(): unknown };
  queue: { writeBuffer(b: unknown, offset: number, data: Uint8Array): void; submit(commands: unknown[]): void };
};

/**
 * Copies the first `byteLength` bytes of a GPU buffer of `size` bytes into a new host array of `like`'s type,
 * through a MAP_READ staging buffer of the same size.
 */
async function readBack(device: GPUDeviceLike, buffer: GpuBufferLike, size: number, byteLength: number, like: HostTensor['data']): Promise<HostTensor['data']> {
  // GPUBufferUsage: MAP_READ 0x01 | COPY_DST 0x08; GPUMapMode.READ = 1
  const staging = device.createBuffer({ size, usage: 0x01 | 0x08 }) as GpuBufferLike;
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(1);
    const copy = staging.getMappedRange().slice(0, byteLength);
    staging.unmap();
    const Ctor = like.constructor as new (b: ArrayBuffer) => HostTensor['data'];
    return new Ctor(copy);
  } finally {
    staging.destroy();
  }
}
