// The runtime seam's contracts: the rest of the code depends on these interfaces, never on onnxruntime.
// No onnxruntime import here; implementations live in ortSession.ts, web.ts (browser) and node.ts (Node).
import type { DType } from '../onnx/index';

/** Numeric tensor data on the host. float16 travels as Uint16Array bits. */
export type HostData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Int8Array | Uint32Array;

/** A tensor in host memory. dims row-major. */
export type HostTensor = { dtype: DType; dims: number[]; data: HostData };

/** Which execution provider ran, and why (fallbacks are explicit and shown to the user). */
export type BackendInfo = {
  /** 'webgpu' | 'wasm' in the browser; 'cpu' | 'webgpu' in Node */
  ep: 'webgpu' | 'wasm' | 'cpu';
  /** Adapter description where WebGPU is used (vendor / architecture / description). */
  adapter?: string;
  /** Why this EP: "requested", or the reason WebGPU was not available. */
  reason: string;
  isFallback: boolean;
  /** WebGPU only: the adapter reports `shader-f16` (float16 graphs can run; see diffusion/pipeline/precision.ts) */
  hasShaderF16?: boolean;
  /** WebGPU only: the adapter is a software rasteriser on the CPU (isFallbackAdapter, or SwiftShader/llvmpipe in its info) */
  isSoftwareAdapter?: boolean;
  /** one probe step timed on each available EP at load (workers/backendProbe.ts), when measured */
  timings?: readonly BackendTiming[];
  /** how the EP was chosen: by those timings, or as the user (or ?ep=) asked */
  choice?: 'measured' | 'requested';
};

/** Milliseconds of one probe step on one EP (the median of a few runs after a warm-up). */
export type BackendTiming = { readonly ep: 'webgpu' | 'wasm'; readonly ms: number; readonly isSoftware?: boolean };

/** The backend in words for the user: "WebGPU · <adapter>", "wasm" or "cpu". */
export function describeBackend(b: BackendInfo): string {
  return b.ep === 'webgpu' ? `WebGPU · ${b.adapter ?? 'unknown adapter'}` : b.ep;
}

/**
 * A tensor owned by the runtime (GPU buffer on WebGPU, host memory on CPU EPs) that can be fed back
 * without a host round trip. The creator (or the caller who received it from run) must dispose it.
 */
export interface DeviceTensor {
  readonly kind: 'device';
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly location: string;
  /** Copies the data to the host. */
  download(): Promise<HostTensor>;
  dispose(): void;
}

export type Feed = HostTensor | DeviceTensor;

export type RunOptions = {
  /** output names to keep on the device (returned as DeviceTensor); the rest come back as HostTensor */
  keepOnDevice?: readonly string[];
  /** only these outputs are computed and returned (default: all) */
  fetch?: readonly string[];
};

export type RunResult = Record<string, Feed>;

/** One loaded graph. Calls are serialized; concurrent run() calls queue up. */
export interface Session {
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly backend: BackendInfo;
  /** Runs the graph. Output names in `keepOnDevice` come back as DeviceTensor (caller disposes). */
  run(feeds: Record<string, Feed>, options?: RunOptions): Promise<RunResult>;
  dispose(): Promise<void>;
}

export type SessionOptions = {
  /** external data files: path as written in the model → bytes */
  externalData?: Record<string, Uint8Array>;
  /** fail instead of silently putting nodes on the CPU (WebGPU proof) */
  disableCpuFallback?: boolean;
  /** names of outputs that should be produced in device memory (required on WebGPU for keepOnDevice) */
  deviceOutputs?: readonly string[];
};

/** Creates sessions on one backend. */
export interface Runner {
  readonly backend: BackendInfo;
  createSession(name: string, modelBytes: Uint8Array, options?: SessionOptions): Promise<Session>;
  /** Uploads a host tensor to the device (GPU buffer on WebGPU). Caller disposes. */
  upload(tensor: HostTensor): Promise<DeviceTensor>;
}

/** Type guard for DeviceTensor feeds. */
export function isDeviceTensor(f: Feed): f is DeviceTensor {
  return (f as DeviceTensor).kind === 'device';
}
