// CLI: npm run train:base [-- --resume] [--vae-steps N] [--decoder-steps N] [--decoder-lr 5e-4] [--decoder-minutes M] [--unet-steps N] [--batch 16] [--vae-batch 8]
//   [--seed 0] [--threads 2] [--ep cpu|webgpu] [--vae-minutes M] [--unet-minutes M] [--lr 1e-3] [--checkpoint-every 200] [--object-weight α] [--pool N] [--unet-decay-end N] [--dir .cache/trainBase] [--no-export] [--out public/models/default]
//   npm run train:base -- --export-only   exports the checkpoint in --dir without training
// Trains the embedded default model with DisenStudio's own graphs in onnxruntime-node (stage A VAE, stage A′
// decoder fine-tune on the frozen encoder, stage B text encoder + UNet), checkpointing to --dir, then exports public/models/default/ (export.ts).
// Ctrl-C stops after the current step, saves a checkpoint and exits (resume with --resume).
import { MapWeights } from '../../src/onnx/index';
import { createNodeRunner } from '../../src/runtime/node';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import type { Params, RunState } from './checkpoint';
import { latentScale, VaeEncoderSession } from './encode';
import { exportDefaultModel } from './export';
import { trainDecoder, trainDenoiser, trainVae } from './stages';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
function str(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? String(process.argv[i + 1]) : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

async function main(): Promise<void> {
  const dir = str('dir', '.cache/trainBase');
  const ep = str('ep', 'cpu');
  if (ep !== 'cpu' && ep !== 'webgpu') throw new Error(`--ep must be cpu or webgpu, got "${ep}"`);
  const runner = createNodeRunner({ ep, threads: arg('threads', 2) });
  const saved = flag('resume') || flag('export-only') ? loadCheckpoint(dir) : undefined;
  if (flag('resume') && !saved) throw new Error(`--resume: no checkpoint in ${dir} (state.json missing); run without --resume to start`);
  const state: RunState = saved?.state ?? {
    seed: arg('seed', 0), vaeSteps: 0, unetSteps: 0, vaeDone: 0, unetDone: 0, vaeLoss: [], unetLoss: [], vaeSeconds: 0, unetSeconds: 0, scalingFactor: 0,
  };
  // A plan never drops below the steps already done (`--resume --decoder-steps 0` skips stage A′ and keeps its count).
  state.vaeSteps = Math.max(arg('vae-steps', state.vaeSteps || 1000), state.vaeDone);
  state.unetSteps = Math.max(arg('unet-steps', state.unetSteps || 4000), state.unetDone);
  state.decoderSteps = Math.max(arg('decoder-steps', state.decoderSteps ?? 1500), state.decoderDone ?? 0);
  // --object-weight α: stage B weights the ε-error on object cells by 1 + α from here on (kept across resumes).
  if (flag('object-weight')) {
    state.objectWeight = arg('object-weight', 0);
    state.objectWeightFrom ??= state.unetDone;
  }
  // --unet-decay-end N: stage B's cosine reaches its floor at step N and later steps train at the floor (kept across
  // resumes), so a finished run can be extended without raising its learning rate again.
  if (flag('unet-decay-end')) state.unetDecayEnd = arg('unet-decay-end', state.unetSteps);
  // --pool N: stage B draws its batches from a sliding window of N encoded scenes (pool.ts) from here on.
  if (flag('pool')) {
    state.pool = arg('pool', 0);
    state.poolFrom ??= state.unetDone;
  }
  const params: Params = saved?.params ?? { vae: new Map(), text_encoder: new Map(), unet: new Map() };
  if (flag('export-only')) {
    if (!saved) throw new Error(`--export-only: no checkpoint in ${dir} (state.json missing)`);
    await exportDefaultModel(runner, saved.state, saved.params, str('out', 'public/models/default'));
    return;
  }
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  const save = (): void => saveCheckpoint(dir, state, params);
  const minutes = (name: string): number | undefined => (process.argv.includes(`--${name}`) ? arg(name, 0) : undefined);
  const common = { runner, lr: arg('lr', 1e-3), checkpointEvery: arg('checkpoint-every', 200), save, signal: abort.signal, dir };
  if (saved) process.stderr.write(`resuming from ${dir}: stage A ${state.vaeDone}/${state.vaeSteps}, stage B ${state.unetDone}/${state.unetSteps}\n`);
  if (state.vaeDone < state.vaeSteps) state.scalingFactor = 0; // the latent space moves: re-measure its scale
  await trainVae({ ...common, batch: arg('vae-batch', 8), minutes: minutes('vae-minutes') }, state, params);
  save();
  if (abort.signal.aborted) return;
  if (!state.scalingFactor) {
    const enc = await VaeEncoderSession.create(runner, new MapWeights(params.vae), 16);
    state.scalingFactor = await latentScale(enc, state.seed, 16, 16);
    await enc.dispose();
    process.stderr.write(`latent scaling_factor = ${state.scalingFactor.toFixed(5)}\n`);
    save();
  }
  await trainDecoder({ ...common, lr: arg('decoder-lr', 5e-4), batch: arg('vae-batch', 8), minutes: minutes('decoder-minutes') }, state, params);
  save();
  if (abort.signal.aborted) return;
  await trainDenoiser({ ...common, batch: arg('batch', 16), minutes: minutes('unet-minutes') }, state, params);
  save();
  if (abort.signal.aborted || flag('no-export')) return;
  await exportDefaultModel(runner, state, params, str('out', 'public/models/default'));
}

await main();
