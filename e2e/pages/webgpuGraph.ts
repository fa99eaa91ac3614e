// Browser test page: builds a small graph with the toolkit (Conv → InstanceNormalization → MatMul → Softmax),
// runs it on the WebGPU EP (CPU fallback disabled) and on wasm, fed from the host and from runner.upload (read back
// with download()), and publishes results on window for
// e2e/webgpu.spec.ts. Test-only; not part of the app bundle.
import { encodeModel, GraphBuilder, op } from '../../src/onnx/index';
import type { BackendInfo, HostTensor } from '../../src/runtime/index';
import { initRuntime } from '../../src/runtime/index';
import { Rng } from '../../src/lib/random';

type EpResult = { backend: BackendInfo; y: number[]; yFromUpload: number[]; downloaded: number[] } | { error: string };

function buildGraph(rng: Rng): GraphBuilder {
  const b = new GraphBuilder('webgpu-check');
  const x = b.input('x', 'float32', [1, 2, 4, 4]);
  const w = b.param('conv.weight', 'float32', [3, 2, 3, 3], rng.normalArray(54, 0.5));
  const bias = b.param('conv.bias', 'float32', [3], rng.normalArray(3, 0.1));
  const c = op.Conv(x, w, bias, { pads: [1, 1, 1, 1] });
  const n = op.InstanceNormalization(c, b.param('norm.scale', 'float32', [3], rng.uniformArray(3, 0.5, 1.5)), b.param('norm.bias', 'float32', [3], rng.normalArray(3, 0.1)));
  const flat = op.Reshape(n, [3, 16]);
  const m = op.MatMul(flat, b.param('proj', 'float32', [16, 5], rng.normalArray(80, 0.3)));
  b.output(op.Softmax(m), 'y');
  return b;
}

async function runOn(prefer: 'webgpu' | 'wasm', bytes: Uint8Array, x: HostTensor): Promise<EpResult> {
  try {
    const runner = await initRuntime({ prefer });
    const s = await runner.createSession(`check-${prefer}`, bytes, { disableCpuFallback: prefer === 'webgpu' });
    const out = await s.run({ x });
    // the same input uploaded (a GPU buffer on WebGPU), fed as a device tensor, and read back
    const uploaded = await runner.upload(x);
    const fromUpload = await s.run({ x: uploaded });
    const downloaded = await uploaded.download();
    uploaded.dispose();
    await s.dispose();
    const arr = (t: unknown) => Array.from((t as HostTensor).data as Float32Array);
    return { backend: runner.backend, y: arr(out.y), yFromUpload: arr(fromUpload.y), downloaded: arr(downloaded) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

async function main(): Promise<void> {
  const rng = new Rng(7);
  const bytes = encodeModel(buildGraph(rng).toModel());
  const x: HostTensor = { dtype: 'float32', dims: [1, 2, 4, 4], data: rng.normalArray(32) };
  const webgpu = await runOn('webgpu', bytes, x);
  const wasm = await runOn('wasm', bytes, x);
  const result = { webgpu, wasm, x: Array.from(x.data as Float32Array), seed: 7 };
  (window as unknown as { __result: unknown }).__result = result;
  document.getElementById('out')!.textContent = JSON.stringify(result, null, 1);
}

void main();
