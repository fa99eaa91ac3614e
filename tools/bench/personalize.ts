// `npm run bench:personalize -- --json`: s/optimizer step of DisenDiff personalization of the default model (public/
// models/default; "<c1>=circle" "<c2>=square" on a rendered world scene with masks; defaults: batch 2 × accumulation 4)
// in onnxruntime-node CPU, onnxruntime-web wasm under Node, and the node WebGPU EP with --webgpu (no GPU: SwiftShader
// via VK_ICD_FILENAMES as in tools/test-all.sh). A few steps MEASURED, the full default run EXTRAPOLATED, both labelled.
// No timing assertions. Options: --steps 3 --warmup 1 --threads 2 --backends node,wasm --webgpu --model <folder>
// --reg-steps 25 --reg-count 200 --json.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import { createNodeRunner, createWasmRunnerInNode } from '../../src/runtime/node';
import type { Runner } from '../../src/runtime/types';
import { captionStyleFor, classPrompt } from '../../src/train/data/captions';
import type { BatchFeeds } from '../../src/train/engine/types';
import { preparePersonalizeJob } from '../../src/train/loop/job';
import { DEFAULT_MODEL, loadModel, modelResolution, referenceScene } from './worldScenes';

type Args = { steps: number; warmup: number; threads: number; model: string; regSteps: number; regCount: number };

type Measured = { steps: number; warmupSteps: number; secondsPerStep: number; dataSecondsPerStep: number; engineSecondsPerStep: number; firstStepSeconds: number; finalLoss: number };
type Extrapolated = { steps: number; trainingSeconds: number; regularisationImages: number; regularisationSeconds: number; totalSeconds: number };
type BackendResult =
  | { backend: string; threads: number | null; setupSeconds: number; secondsPerRegularisationImage: number; measured: Measured; extrapolated: Extrapolated }
  | { backend: string; skipped: string };

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const seconds = (): number => performance.now() / 1000;

function positive(name: string, v: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

/** (1) model + scene + one regularisation image (timed), (2) job + session (setup), (3) warm-up, (4) measured steps. */
async function benchBackend(backend: string, threads: number | null, runner: Runner, a: Args): Promise<BackendResult> {
  const model = await loadModel(a.model);
  const size = modelResolution(model);
  const ref = referenceScene([{ shape: 'circle', color: 'red', pattern: 'striped', size: 'large' }, { shape: 'square', color: 'blue', pattern: 'dotted', size: 'large' }], 7, size);
  const pipe = new Txt2ImgPipeline(runner, model);
  const prompt = classPrompt(ref.concepts, captionStyleFor(model.tokenizer));
  const gen = (seed: number) => pipe.generate({ prompt, seed, steps: a.regSteps, sampler: 'DDIM', guidanceScale: 6, preview: 'none' });
  await gen(0);
  const r0 = seconds();
  const img = await gen(1);
  const secondsPerRegularisationImage = seconds() - r0;
  await pipe.dispose();
  const reg = [{ image: { width: size, height: size, channels: 3, data: hwcToChw(img.rgb, size) }, caption: prompt }];
  const t0 = seconds();
  const job = await preparePersonalizeJob(runner, model, { target: ref.target, concepts: ref.concepts, regularisation: reg, seed: 1 });
  const stepper = await job.createStepper(job.initialParams);
  const setupSeconds = seconds() - t0;
  const acc = job.config.gradAccumulation;
  const times: { data: number; engine: number; loss: number }[] = [];
  for (let i = 0; i < a.warmup + a.steps; i++) {
    const d0 = seconds();
    const feeds: BatchFeeds[] = [];
    for (let m = 0; m < acc; m++) feeds.push(await job.batches(i, m));
    const e0 = seconds();
    const r = await stepper.step(...feeds);
    times.push({ data: e0 - d0, engine: seconds() - e0, loss: r.loss });
  }
  await stepper.dispose();
  await job.dispose();
  const measured = times.slice(a.warmup);
  const mean = (f: (t: (typeof times)[0]) => number): number => measured.reduce((s, t) => s + f(t), 0) / measured.length;
  const perStep = mean((t) => t.data + t.engine);
  const first = times[0] as (typeof times)[0];
  const trainingSeconds = job.steps * perStep;
  const regularisationSeconds = a.regCount * secondsPerRegularisationImage;
  return {
    backend, threads, setupSeconds: round(setupSeconds), secondsPerRegularisationImage: round(secondsPerRegularisationImage),
    measured: { steps: a.steps, warmupSteps: a.warmup, secondsPerStep: round(perStep), dataSecondsPerStep: round(mean((t) => t.data)), engineSecondsPerStep: round(mean((t) => t.engine)), firstStepSeconds: round(first.data + first.engine), finalLoss: round((times.at(-1) as (typeof times)[0]).loss, 5) },
    extrapolated: { steps: job.steps, trainingSeconds: round(trainingSeconds, 1), regularisationImages: a.regCount, regularisationSeconds: round(regularisationSeconds, 1), totalSeconds: round(setupSeconds + trainingSeconds + regularisationSeconds, 1) },
  };
}

/** RGB bytes [size, size, 3] (first image of a batch) → planar [3, size, size] in [−1, 1]. */
function hwcToChw(rgb: Uint8Array, size: number): Float32Array {
  const n = size * size;
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) out[c * n + p] = (rgb[p * 3 + c] as number) / 127.5 - 1;
  return out;
}

async function tryBackend(backend: string, threads: number | null, make: () => Promise<Runner>, a: Args): Promise<BackendResult> {
  try {
    return await benchBackend(backend, threads, await make(), a);
  } catch (e) {
    if (!backend.startsWith('webgpu')) throw e;
    return { backend, skipped: `no usable WebGPU adapter/EP: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      steps: { type: 'string', default: '3' }, warmup: { type: 'string', default: '1' }, threads: { type: 'string', default: '2' }, backends: { type: 'string', default: 'node,wasm' },
      webgpu: { type: 'boolean', default: false }, model: { type: 'string', default: DEFAULT_MODEL }, 'reg-steps': { type: 'string', default: '25' }, 'reg-count': { type: 'string', default: '200' }, json: { type: 'boolean', default: false },
    },
  });
  const a: Args = { steps: positive('steps', v.steps), warmup: positive('warmup', v.warmup, 0), threads: positive('threads', v.threads), model: v.model, regSteps: positive('reg-steps', v['reg-steps']), regCount: positive('reg-count', v['reg-count'], 0) };
  const results: BackendResult[] = [];
  for (const b of v.backends.split(',').filter(Boolean)) {
    if (b === 'node') results.push(await tryBackend('onnxruntime-node cpu', a.threads, async () => createNodeRunner({ threads: a.threads }), a));
    else if (b === 'wasm') results.push(await tryBackend('wasm (onnxruntime-web in Node)', 1, createWasmRunnerInNode, a));
    else throw new Error(`--backends: "${b}" is unknown; use node and/or wasm (WebGPU: --webgpu)`);
  }
  if (v.webgpu) results.push(await tryBackend('webgpu (onnxruntime-node WebGPU EP)', null, async () => createNodeRunner({ ep: 'webgpu' }), a));
  const report = {
    bench: 'personalize', model: a.model, concepts: ['<c1>=circle', '<c2>=square'], scene: 'large red striped circle + large blue dotted square on grey, with masks (mask guidance on)',
    settings: 'DISENDIFF_DEFAULTS: AdamW 8e-5, batch 2 × accumulation 4, 250 steps (also the default model\'s documented length, DEFAULT_MODEL_PERSONALIZATION; its lr 1e-3 does not change the time per step)',
    note: 'measured = mean over the measured steps (data: dataset view + VAE encode + feeds; engine: TrainingSession.step); extrapolated = setup + steps × measured s/step + regularisation images × measured s/image (DDIM, CFG 6)',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavg1m: round(loadavg()[0] ?? 0, 2), node: process.version }, results,
  };
  if (v.json) return void console.log(JSON.stringify(report, null, 2));
  for (const r of results) {
    if ('skipped' in r) console.log(`${r.backend}: skipped (${r.skipped})`);
    else console.log(`${r.backend}: measured ${r.measured.secondsPerStep} s/step over ${r.measured.steps} steps; extrapolated full run (${r.extrapolated.steps} steps + ${r.extrapolated.regularisationImages} reg images) ${r.extrapolated.totalSeconds} s`);
  }
}

main().catch((e: unknown) => {
  console.error(`bench:personalize: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exit(1);
});
