// Node entry of the runtime seam: onnxruntime-node (CPU EP by default, WebGPU EP on request) and, for parity
// tests, onnxruntime-web's wasm backend under Node. Node-only: never imported by browser code.
import * as ortNode from 'onnxruntime-node';
import { RuntimeFailure } from '../lib/errors';
import { OrtDeviceTensor, OrtSession, toOrtTensor } from './ortSession';
import type { OrtLike } from './ortSession';
import type { BackendInfo, DeviceTensor, HostTensor, Runner, Session, SessionOptions } from './types';

/**
 * `gpuBufferOutputs`: on the WebGPU EP, keep `deviceOutputs` in GPU buffers (preferredOutputLocation). Off by
 * default: onnxruntime-node 1.30 aborts the process ("terminate called after throwing an instance of 'char
 * const*'") on run() with gpu-buffer outputs on SwiftShader (tools/bench/gpu.ts tries it on real GPUs), so
 * device outputs are CPU tensors there and state round-trips through the host each step.
 */
export type NodeRunnerOptions = { ep?: 'cpu' | 'webgpu'; threads?: number; gpuBufferOutputs?: boolean };

/** A Runner on onnxruntime-node. */
export function createNodeRunner(options: NodeRunnerOptions = {}): Runner {
  const ep = options.ep ?? 'cpu';
  const backend: BackendInfo = { ep, reason: 'requested', isFallback: false };
  return createOrtRunner(ortNode as unknown as OrtLike, backend, {
    gpuBufferOutputs: options.gpuBufferOutputs ?? false,
    executionProviders: [ep],
    intraOpNumThreads: options.threads ?? 0,
    graphOptimizationLevel: 'all',
  });
}

/** A Runner on onnxruntime-web's wasm backend running under Node (slow; for parity tests). */
export async function createWasmRunnerInNode(): Promise<Runner> {
  const ortWeb = (await import('onnxruntime-web')) as unknown as OrtLike & { env: { wasm: { numThreads: number } } };
  ortWeb.env.wasm.numThreads = 1;
  const backend: BackendInfo = { ep: 'wasm', reason: 'requested', isFallback: false };
  return createOrtRunner(ortWeb, backend, { executionProviders: ['wasm'] });
}

/** Shared by both Node runners: sessions from bytes, uploads as CPU tensors. */
export function createOrtRunner(ort: OrtLike, backend: BackendInfo, base: Record<string, unknown>): Runner {
  return {
    backend,
    async createSession(name: string, bytes: Uint8Array, opts: SessionOptions = {}): Promise<Session> {
      const { gpuBufferOutputs, ...rest } = base;
      const sessionOptions: Record<string, unknown> = { ...rest };
      if (opts.externalData) {
        sessionOptions.externalData = Object.entries(opts.externalData).map(([path, data]) => ({ path, data }));
      }
      if (opts.disableCpuFallback) sessionOptions.extra = { session: { disable_cpu_ep_fallback: '1' } };
      if (backend.ep === 'webgpu' && gpuBufferOutputs !== false && opts.deviceOutputs?.length) {
        sessionOptions.preferredOutputLocation = Object.fromEntries(opts.deviceOutputs.map((n) => [n, 'gpu-buffer']));
      }
      try {
        const s = await ort.InferenceSession.create(bytes, sessionOptions);
        return new OrtSession(name, ort, s as never, backend);
      } catch (e) {
        throw new RuntimeFailure(name, `could not create session: ${e instanceof Error ? e.message : String(e)}`, e);
      }
    },
    async upload(t: HostTensor): Promise<DeviceTensor> {
      return new OrtDeviceTensor(toOrtTensor(ort, t), t.dtype);
    },
  };
}
