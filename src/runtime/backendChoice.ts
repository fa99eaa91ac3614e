// Which execution provider the studio uses when the user has not forced one: the faster of the measured ones.
// Pure (no onnxruntime, no navigator): web.ts reads the adapter, workers/backendProbe.ts times one small step
// on each EP, and this file decides. A software WebGPU adapter (Chromium's SwiftShader, Mesa's llvmpipe /
// lavapipe, WARP) is labelled as such and never wins a near-tie against wasm.
import type { BackendTiming } from './types';

/** What a WebGPU adapter says about itself (GPUAdapter.isFallbackAdapter and GPUAdapterInfo). */
export type AdapterFacts = {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly device?: string; readonly description?: string };
};

/** Names of CPU rasterisers that implement WebGPU/Vulkan/D3D in software. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;

/** True when the adapter runs on the CPU: the browser says it is a fallback adapter, or its info names a software rasteriser. */
export function isSoftwareAdapter(a: AdapterFacts): boolean {
  if (a.isFallbackAdapter === true) return true;
  const i = a.info ?? {};
  return SOFTWARE_ADAPTER.test([i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' '));
}

/**
 * A hardware WebGPU adapter is kept unless wasm is faster by more than this factor (a small probe under-sells a
 * GPU: its launch overhead weighs more on a tiny graph than on a UNet step).
 */
export const HARDWARE_MARGIN = 1.25;

export type BackendPick = { readonly ep: 'webgpu' | 'wasm'; readonly reason: string };

function ms(t: BackendTiming): string {
  return `${t.ms < 10 ? t.ms.toFixed(1) : Math.round(t.ms)} ms`;
}

function label(t: BackendTiming): string {
  return t.ep === 'wasm' ? 'wasm' : t.isSoftware ? 'WebGPU (software adapter)' : 'WebGPU';
}

/**
 * Picks the EP for `timings` (one probe step each; a failed EP is absent). The faster one wins; a hardware
 * WebGPU adapter wins unless wasm is over HARDWARE_MARGIN× faster; a software adapter wins only when it is
 * strictly faster than wasm. With no timing at all: wasm (it always exists).
 */
export function pickBackend(timings: readonly BackendTiming[]): BackendPick {
  const wasm = timings.find((t) => t.ep === 'wasm');
  const gpu = timings.find((t) => t.ep === 'webgpu');
  if (!gpu) return { ep: 'wasm', reason: wasm ? `wasm (${ms(wasm)} per probe step; no WebGPU timing)` : 'wasm (nothing could be timed)' };
  if (!wasm) return { ep: 'webgpu', reason: `${label(gpu)} (${ms(gpu)} per probe step; wasm could not be timed)` };
  const gpuWins = gpu.isSoftware ? gpu.ms < wasm.ms : gpu.ms <= wasm.ms * HARDWARE_MARGIN;
  const [won, lost] = gpuWins ? [gpu, wasm] : [wasm, gpu];
  const factor = lost.ms / Math.max(won.ms, 1e-6);
  const how = factor >= 1 ? `${factor.toFixed(1)}× faster than` : 'kept over';
  return { ep: won.ep, reason: `measured: ${label(won)} ${ms(won)} per probe step, ${how} ${label(lost)} ${ms(lost)}` };
}
