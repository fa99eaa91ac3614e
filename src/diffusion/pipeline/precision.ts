// Which precision the inference graphs (text encoder, UNet, VAE decoder) are built in: 'auto' picks float16 only
// on a WebGPU adapter with `shader-f16`, float32 everywhere else. Training graphs are always float32 (not here).
// Pure; no I/O. Reference: docs/platform.md (fp16 needs shader-f16), onnx/passes/toFloat16.ts.
import { ConfigError } from '../../lib/errors';
import type { BackendInfo } from '../../runtime/index';

/** 'auto' (fp16 on WebGPU with shader-f16, else fp32), or a forced choice. */
export type PrecisionChoice = 'auto' | 'fp16' | 'fp32';

export const PRECISION_CHOICES: readonly PrecisionChoice[] = ['auto', 'fp16', 'fp32'];

/**
 * The precision to build with on `backend`. A forced 'fp16' on CPU or wasm is allowed (ORT computes float16
 * nodes through its own inserted Casts there: correct, not faster; useful for tests).
 * @throws ConfigError for an unknown choice, or 'fp16' on a WebGPU adapter without shader-f16
 * @example resolvePrecision('auto', runner.backend) // 'fp16' on a GPU with shader-f16
 */
export function resolvePrecision(choice: PrecisionChoice, backend: BackendInfo): 'fp16' | 'fp32' {
  if (!PRECISION_CHOICES.includes(choice)) throw new ConfigError(`precision must be one of ${PRECISION_CHOICES.join(', ')}, got ${JSON.stringify(choice)}.`);
  if (choice === 'fp32') return 'fp32';
  const isWebGpu = backend.ep === 'webgpu';
  if (choice === 'auto') return isWebGpu && backend.hasShaderF16 === true ? 'fp16' : 'fp32';
  if (isWebGpu && backend.hasShaderF16 === false) {
    throw new ConfigError(`precision 'fp16' needs the WebGPU feature shader-f16, which this adapter (${backend.adapter ?? 'unknown'}) lacks; use 'auto' or 'fp32'.`);
  }
  return 'fp16';
}
