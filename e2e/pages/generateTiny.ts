// Browser test page: writes the tiny random-weight diffusers folder into the origin-private file system, loads
// it back through the directory-handle FileSource, and generates on WebGPU and on wasm; results go to
// window.__result for e2e/generate.spec.ts. Test-only; not part of the app bundle.
import { createDirectoryHandleSource } from '../../src/diffusion/loaders/browser';
import type { DirectoryHandleLike } from '../../src/diffusion/loaders/browser';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import { initRuntime } from '../../src/runtime/index';
import { FOLDER_SEED, REQUEST } from './generateScenario';
import type { BrowserRun } from './generateScenario';

type WritableFile = { createWritable(): Promise<{ write(d: Uint8Array): Promise<void>; close(): Promise<void> }> };
type WritableDir = {
  getDirectoryHandle(name: string, o?: { create: boolean }): Promise<WritableDir>;
  getFileHandle(name: string, o?: { create: boolean }): Promise<WritableFile>;
  removeEntry(name: string, o?: { recursive: boolean }): Promise<void>;
};

async function writeToOpfs(files: Map<string, Uint8Array>): Promise<DirectoryHandleLike> {
  const root = (await navigator.storage.getDirectory()) as unknown as WritableDir;
  await root.removeEntry('tiny', { recursive: true }).catch(() => undefined);
  const top = await root.getDirectoryHandle('tiny', { create: true });
  for (const [path, bytes] of files) {
    const parts = path.split('/');
    const name = parts.pop() as string;
    let dir = top;
    for (const p of parts) dir = await dir.getDirectoryHandle(p, { create: true });
    const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
    await w.write(bytes);
    await w.close();
  }
  return top as unknown as DirectoryHandleLike;
}

async function runOn(prefer: 'webgpu' | 'wasm', dir: DirectoryHandleLike): Promise<BrowserRun> {
  try {
    const model = await loadDiffusersFolder(createDirectoryHandleSource(dir));
    const runner = await initRuntime({ prefer });
    const pipe = new Txt2ImgPipeline(runner, model);
    const t0 = performance.now();
    const r = await pipe.generate(REQUEST);
    await pipe.dispose();
    return { backend: runner.backend, latents: Array.from(r.latents), rgb: Array.from(r.rgb), seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

async function main(): Promise<void> {
  const dir = await writeToOpfs(writeDiffusersFolder({ seed: FOLDER_SEED }));
  const wasm = await runOn('wasm', dir);
  const webgpu = await runOn('webgpu', dir);
  const result = { wasm, webgpu };
  (window as unknown as { __result: unknown }).__result = result;
  document.getElementById('out')!.textContent = JSON.stringify(result).slice(0, 2000);
}

void main();
