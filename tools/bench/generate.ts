// `npm run bench:generate`: seconds per UNet step and per image for text-to-image on the tiny random-weight
// model (or --model <folder>) in onnxruntime-node (CPU EP) and onnxruntime-web's wasm backend under Node.
// Prints ONE JSON object on stdout. Medians over --iters runs after one warm-up run (which also builds the
// sessions; its setup time is reported separately). No timing assertions anywhere.
// Options: --steps N (10), --iters N (3), --threads N (ORT intra-op threads for node, 1), --batch N (1),
// --model <folder>, --backends node,wasm, --sampler NAME ("Euler a").
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { createNodeFileSource, writeFilesToFolder } from '../../src/diffusion/loaders/node';
import { writeDiffusersFolder } from '../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import type { Txt2ImgRequest } from '../../src/diffusion/pipeline/types';
import { createNodeRunner, createWasmRunnerInNode } from '../../src/runtime/node';
import type { Runner } from '../../src/runtime/types';
import { median } from './stats';

type BackendResult = { backend: string; setupSeconds: number; unetSecondsPerStep: number; secondsPerImage: number; textSeconds: number; vaeSeconds: number; runs: number };


function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be an integer ≥ 1, got "${v}"`);
  return n;
}

async function benchOne(name: string, runner: Runner, model: LoadedModel, req: Txt2ImgRequest, iters: number): Promise<BackendResult> {
  const pipe = new Txt2ImgPipeline(runner, model);
  try {
    const warm = await pipe.generate(req);
    const runs = [];
    for (let i = 0; i < iters; i++) runs.push((await pipe.generate(req)).timings);
    const batch = req.batch ?? 1;
    return {
      backend: name,
      setupSeconds: warm.timings.setupSeconds,
      unetSecondsPerStep: median(runs.map((t) => t.unetSecondsPerStep)),
      secondsPerImage: median(runs.map((t) => (t.totalSeconds - t.setupSeconds) / batch)),
      textSeconds: median(runs.map((t) => t.textSeconds)),
      vaeSeconds: median(runs.map((t) => t.vaeSeconds)),
      runs: iters,
    };
  } finally {
    await pipe.dispose();
  }
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      steps: { type: 'string', default: '10' }, iters: { type: 'string', default: '3' }, threads: { type: 'string', default: '1' },
      batch: { type: 'string', default: '1' }, model: { type: 'string' }, backends: { type: 'string', default: 'node,wasm' }, sampler: { type: 'string', default: 'Euler a' },
    },
  });
  const threads = positive('threads', a.threads);
  let tmp: string | undefined;
  if (!a.model) {
    tmp = await mkdtemp(join(tmpdir(), 'bench-tiny-'));
    await writeFilesToFolder(tmp, writeDiffusersFolder({ seed: 0 }));
  }
  try {
    const model = await loadDiffusersFolder(createNodeFileSource(a.model ?? (tmp as string)));
    const req: Txt2ImgRequest = { prompt: 'a photo of a cat', seed: 1, steps: positive('steps', a.steps), batch: positive('batch', a.batch), sampler: a.sampler, preview: 'none' };
    const results: BackendResult[] = [];
    for (const backend of a.backends.split(',')) {
      if (backend === 'node') results.push(await benchOne(`onnxruntime-node cpu (${threads} thread${threads > 1 ? 's' : ''})`, createNodeRunner({ threads }), model, req, positive('iters', a.iters)));
      else if (backend === 'wasm') results.push(await benchOne('onnxruntime-web wasm in Node (1 thread)', await createWasmRunnerInNode(), model, req, positive('iters', a.iters)));
      else throw new Error(`--backends: "${backend}" is unknown; use node and/or wasm`);
    }
    const size = `${model.unet.config.sample_size * 2 ** (model.vae.config.block_out_channels.length - 1)}px`;
    console.log(JSON.stringify({
      bench: 'generate', model: a.model ?? 'tiny (random weights, TINY_* configs)', size, steps: req.steps, batch: req.batch, sampler: req.sampler, guidance: 'CFG (UNet batch 2×)',
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavg1m: loadavg()[0], node: process.version }, results,
    }, null, 2));
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench:generate: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
