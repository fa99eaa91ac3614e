// `npm run train:base`: trains the default model with DisenStudio's own graphs on onnxruntime-node — stage A
// (VAE), latent pool + scaling factor, stage B (text encoder + UNet). Seeded, resumable (--resume) from
// .cache/baseModel/, progress bar with loss and ETA on stderr. Never writes outside --dir; export is export.ts.
// Flags: --steps-a N --steps-b N --batch N --batch-a N --seed N --pool N --max-minutes-b M --threads N --dir D --resume
import { parseArgs } from 'node:util';
import { createNodeRunner } from '../../src/runtime/node';
import { encodeLatentPool, scalingFactorOf, trainDiffusionStage, trainVaeStage } from '../../src/train/baseModel/stages';
import type { Params } from '../../src/train/baseModel/stages';
import { loadParams, loadState, saveParams, saveState } from './checkpoint';
import type { StageState, TrainState } from './checkpoint';
import { progressLine, reportProgress } from './progress';

const { values: a } = parseArgs({
  options: {
    'steps-a': { type: 'string', default: '300' }, 'steps-b': { type: 'string', default: '1000' },
    batch: { type: 'string', default: '16' }, 'batch-a': { type: 'string', default: '8' }, seed: { type: 'string', default: '0' }, pool: { type: 'string', default: '2048' },
    'max-minutes-b': { type: 'string' }, threads: { type: 'string', default: '2' },
    dir: { type: 'string', default: '.cache/baseModel' }, resume: { type: 'boolean', default: false },
  },
});
const dir = a.dir as string;
const num = (k: keyof typeof a): number => Number(a[k]);

function fresh(): TrainState {
  const stage = (total: number): StageState => ({ step: 0, total, losses: [], wallS: 0 });
  return { seed: num('seed'), batch: num('batch'), batchA: num('batch-a'), a: stage(num('steps-a')), b: stage(num('steps-b')), poolSize: num('pool') };
}

/** onStep + onCheckpoint callbacks that keep `st` and the files current. */
function hooks(label: string, st: StageState, state: TrainState, part: string) {
  const t0 = Date.now() - st.wallS * 1000;
  let last = Date.now();
  let perStep = 0;
  return {
    onStep: (step: number, loss: number) => {
      const now = Date.now();
      perStep = perStep === 0 ? (now - last) / 1000 : 0.9 * perStep + 0.1 * ((now - last) / 1000);
      last = now;
      st.losses.push(loss);
      const recent = st.losses.slice(-50);
      reportProgress(progressLine(label, step, st.total, loss, recent.reduce((s, v) => s + v, 0) / recent.length, perStep), step);
    },
    onCheckpoint: (params: Params, step: number) => {
      st.step = step;
      st.wallS = (Date.now() - t0) / 1000;
      saveParams(dir, part, params);
      saveState(dir, state);
    },
  };
}

async function main(): Promise<void> {
  const state = (a.resume && loadState(dir)) || fresh();
  state.b.total = Math.max(state.b.total, a.resume ? num('steps-b') : 0) || num('steps-b');
  const runner = createNodeRunner({ threads: num('threads') });
  const common = { runner, seed: state.seed, hyper: { batch: state.batch }, checkpointEvery: 50 };
  let vae = loadParams(dir, 'vae');
  if (state.a.step < state.a.total) {
    vae = await trainVaeStage({ ...common, hyper: { batch: state.batchA }, totalSteps: state.a.total, startStep: state.a.step, params: vae, ...hooks('[A vae ]', state.a, state, 'vae') });
  }
  if (!vae) throw new Error(`no VAE weights in ${dir}/vae.safetensors; run without --resume`);
  process.stderr.write(`\nencoding ${state.poolSize} scenes for the latent pool…\n`);
  const pool = await encodeLatentPool(runner, vae, state.poolSize, state.seed + 1000);
  state.scalingFactor = state.scalingFactor ?? scalingFactorOf(pool);
  saveState(dir, state);
  process.stderr.write(`latent scaling factor ${state.scalingFactor.toFixed(4)}\n`);
  const limit = a['max-minutes-b'] ? AbortSignal.timeout(Number(a['max-minutes-b']) * 60_000) : undefined;
  await trainDiffusionStage({
    ...common, totalSteps: state.b.total, startStep: state.b.step, params: loadParams(dir, 'diffusion'), pool, scalingFactor: state.scalingFactor,
    signal: limit, ...hooks('[B unet]', state.b, state, 'diffusion'),
  });
  process.stderr.write(`\ndone: stage A ${state.a.step} steps ${state.a.wallS.toFixed(0)} s, stage B ${state.b.step} steps ${state.b.wallS.toFixed(0)} s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`\ntrain:base failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
