// The tiny random-weight model generates in the browser, loaded from a folder in the origin-private file system:
// on wasm (always) and on WebGPU (@webgpu, skipped loudly without an adapter); both match onnxruntime-node on
// the same seed within tolerance, which shows the seeded noise is identical in Node and the browser.
import { expect, test } from '@playwright/test';
import { loadDiffusersFolder } from '../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../src/diffusion/pipeline/txt2img';
import { createNodeRunner } from '../src/runtime/node';
import { FOLDER_SEED, REQUEST } from './pages/generateScenario';
import type { BrowserRun } from './pages/generateScenario';

/** max |a − b| relative to max |b|. */
function relErr(a: readonly number[], b: Float32Array): number {
  let worst = 0;
  let scale = 0;
  b.forEach((v, i) => {
    worst = Math.max(worst, Math.abs((a[i] as number) - v));
    scale = Math.max(scale, Math.abs(v));
  });
  return a.length === b.length ? worst / scale : Infinity;
}

let result: { wasm: BrowserRun; webgpu: BrowserRun };
let reference: Float32Array;

test.beforeAll(async ({ browser }) => {
  const pipe = new Txt2ImgPipeline(createNodeRunner({ threads: 1 }), await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: FOLDER_SEED }), 'tiny')));
  reference = (await pipe.generate(REQUEST)).latents;
  await pipe.dispose();
  const page = await browser.newPage();
  page.on('console', (m) => (m.type() === 'error' ? console.log(`[page] ${m.text()}`) : undefined));
  await page.goto('/e2e/pages/generate-tiny.html');
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 170_000 });
  result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as typeof result;
  await page.close();
});

test('tiny model generates on wasm in the browser and matches onnxruntime-node', () => {
  const r = result.wasm;
  if ('error' in r) throw new Error(`wasm failed: ${r.error}`);
  expect(r.backend.ep).toBe('wasm');
  expect(r.rgb).toHaveLength(16 * 16 * 3);
  const err = relErr(r.latents, reference);
  test.info().annotations.push({ type: 'relative error vs onnxruntime-node', description: `${err.toExponential(2)} (${r.seconds.toFixed(2)} s in the page)` });
  expect(err).toBeLessThan(1e-4);
});

test('tiny model generates on WebGPU in the browser and matches onnxruntime-node @webgpu', () => {
  const r = result.webgpu;
  test.skip('error' in r && /no navigator.gpu|no adapter/.test(r.error), 'this browser exposes no WebGPU adapter: run Chromium with --enable-unsafe-webgpu');
  if ('error' in r) throw new Error(`webgpu failed: ${r.error}`);
  expect(r.backend.ep).toBe('webgpu');
  const err = relErr(r.latents, reference);
  test.info().annotations.push({ type: 'relative error vs onnxruntime-node', description: `${err.toExponential(2)} on ${r.backend.adapter ?? 'unknown adapter'} (${r.seconds.toFixed(2)} s in the page)` });
  expect(err).toBeLessThan(1e-2);
});
