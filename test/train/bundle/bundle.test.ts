// Training bundles on the tiny random-weight diffusers folder: export 3 steps (fused, and grads + update with
// accumulation 2), step the bundle with tools/bundle/run.mjs in a child node process (and run.py where Python has
// onnxruntime), import the result, and
// compare with the in-process loop (same job, same seed): params equal within 1e-5; bundle.json schema sanity;
// the imported pack applies to the base model; a foreign base model is refused.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { createNodeFileSource } from '../../../src/diffusion/loaders/node';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { regularisationImages, MemoryBlobCache } from '../../../src/train/data/regularisation';
import { importBundleResult, readBundleResult, readManifest } from '../../../src/train/bundle/importBundle';
import { BUNDLE_JSON, checkManifest } from '../../../src/train/bundle/manifest';
import { applyPack } from '../../../src/train/pack/apply';
import { baseModelHash } from '../../../src/train/pack/hash';
import { preparePersonalizeJob } from '../../../src/train/loop/job';
import { personalize } from '../../../src/train/loop/personalize';
import { exportBundleToFolder, RUNNERS } from '../../../tools/bundle/exportToFolder';
import type { HostTensor } from '../../../src/runtime/index';
import { nodeOrt } from '../../helpers/ort';
import { TWO_CONCEPTS, twoSquaresScene } from '../twoSquares';

const run = promisify(execFile);
/** run.py is also checked where a Python with onnxruntime + numpy exists ($BUNDLE_PYTHON, else python3); run.mjs always */
const python = await run(process.env.BUNDLE_PYTHON ?? 'python3', ['-c', 'import onnxruntime, numpy']).then(() => process.env.BUNDLE_PYTHON ?? 'python3', () => undefined);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const concepts = TWO_CONCEPTS;
const files = writeDiffusersFolder({ seed: 1 });

async function setup(accumulation: number) {
  const src = new MemoryFileSource(files, 'tiny');
  const model = await loadDiffusersFolder(src);
  const hash = await baseModelHash(src);
  const gen = async (_p: string, seed: number, size: number) => {
    const rng = new Rng(seed);
    return { width: size, height: size, rgb: Uint8Array.from({ length: size * size * 3 }, () => rng.int(0, 255)) };
  };
  const reg = await regularisationImages({ modelHash: hash, prompt: 'a cat and a dog', seed: 100, count: 2, size: 16 }, gen, new MemoryBlobCache());
  const job = await preparePersonalizeJob(nodeOrt(), model, { target: twoSquaresScene(), concepts, regularisation: reg, seed: 1, steps: 3, config: { batchSize: 1, gradAccumulation: accumulation, learningRate: 1e-2 } });
  return { src, model, hash, job };
}

/** max |a − b| over two float32 tensors; Infinity when one is missing or the lengths differ */
function maxDiff(a: HostTensor | undefined, b: HostTensor | undefined): number {
  const x = a?.data as Float32Array | undefined;
  const y = b?.data as Float32Array | undefined;
  if (!x || !y || x.length !== y.length) return Infinity;
  return x.reduce((d, v, i) => Math.max(d, Math.abs(v - (y[i] as number))), 0);
}

/** accumulation 2 also moves every weight to grad_step.onnx.data (the path SD 1.5's > 2 GB graph takes) */
describe.each([[1, undefined], [2, 1]])('a training bundle with accumulation %i (external data above %s bytes)', (accumulation, externalAbove) => {
  it('steps in a child node process to the params of the in-process loop and imports as a pack', async () => {
    const { src, model, hash, job } = await setup(accumulation);
    const dir = await mkdtemp(join(tmpdir(), 'bundle-'));
    dirs.push(dir);
    const summary = await exportBundleToFolder(job, dir, { baseModel: { name: 'tiny', hash }, settings: { seed: 1 }, externalAbove });
    const local = await personalize({ ...job, accumulation, steps: job.steps });
    await job.dispose();
    // 1. bundle.json schema and files
    const m = checkManifest(JSON.parse(await readFile(join(dir, BUNDLE_JSON), 'utf8')));
    expect([m.plan, m.steps, m.accumulation, m.data.count]).toEqual([accumulation === 1 ? 'fused' : 'accumulate', 3, accumulation, 3 * accumulation]);
    expect(Object.keys(summary.files).filter((f) => f.startsWith('data/')).sort()).toEqual(Array.from({ length: 3 * accumulation }, (_, i) => `data/batch_000${i}.safetensors`));
    expect(m.data.inputs.map((s) => s.name).sort()).toEqual([...job.graph.dataInputs].sort());
    expect(m.params.sort()).toEqual(Object.keys(local.params).sort());
    for (const f of [...RUNNERS, m.state]) expect((await stat(join(dir, f))).size).toBeGreaterThan(0);
    expect(m.graphs.grads?.externalData).toBe(externalAbove === undefined ? undefined : 'grad_step.onnx.data');
    // 2. step it elsewhere, import, compare
    const bundle = createNodeFileSource(dir);
    for (const [exe, script] of [[process.execPath, 'run.mjs'], ...(python ? [[python, 'run.py']] : [])] as const) {
      const out = await run(exe, [join(dir, script), dir, '--provider', 'cpu'], { cwd: process.cwd() });
      expect(JSON.parse(out.stdout), script).toMatchObject({ appliedSteps: 3, skippedSteps: 0 });
      const params = await readBundleResult(bundle, await readManifest(bundle));
      for (const [name, t] of Object.entries(local.params)) expect(maxDiff(params[name], t), `${script} ${name}`).toBeLessThan(1e-5);
      expect(maxDiff(params.extra_token_embeds, job.initialParams.extra_token_embeds)).toBeGreaterThan(1e-4);
    }
    const pack = await importBundleResult(bundle, { name: 'tiny', hash, unet: model.unet.weights });
    expect(pack.concepts.map((c) => c.token)).toEqual(['<cat1>', '<dog1>']);
    expect(pack.metadata.settings).toMatchObject({ steps: 3, skippedSteps: 0, gradAccumulation: accumulation });
    expect(applyPack(await loadDiffusersFolder(src), pack, hash).tokenizer.encode('<cat1>').ids.length).toBeGreaterThan(0);
  }, 900_000);
});

describe('importing a bundle result', () => {
  it('refuses a base model other than the one it was exported from', async () => {
    const { model, hash, job } = await setup(1);
    const dir = await mkdtemp(join(tmpdir(), 'bundle-'));
    dirs.push(dir);
    await exportBundleToFolder(job, dir, { baseModel: { name: 'tiny', hash } });
    await job.dispose();
    await expect(importBundleResult(createNodeFileSource(dir), { name: 'other', hash: 'f'.repeat(64), unet: model.unet.weights })).rejects.toThrow(/exported from base model tiny/);
    expect(() => checkManifest({ format: 'disenstudio-train-bundle', version: 1, plan: 'fused', graphs: {} })).toThrow(/graphs\.step\.file/);
  }, 900_000);
});
