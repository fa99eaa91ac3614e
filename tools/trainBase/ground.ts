// CLI: npm run train:ground -- [--from public/models/default] [--dir .cache/ground] [--steps 3000] [--lr 2e-4]
//   [--token 0.02] [--pixel 0.002] [--batch 16] [--object-weight 3] [--threads 2] [--minutes M] [--checkpoint-every 200] [--resume]
//   npm run train:ground -- --export-only [--dir .cache/ground] --out public/models/default [--weights-only]
// Stage C of the default model: a grounding fine-tune of the text encoder + UNet of a trained default-model folder
// with TokenCompose's token and pixel terms (src/train/losses/grounding.ts, stage C of src/train/base/graphs.ts) on
// fresh seeded world scenes (stream 5 of batchRng), so each object word's cross-attention map finds its object. The
// VAE is frozen (the latent space and scaling factor stay). Checkpoints to --dir (weights, AdamW state, per-step
// terms); --export-only writes the UNet and text-encoder weights, samples.png and eval.json into --out (the other files
// of the folder, MODEL_CARD.md included, are left alone: the card's run history is written by hand).
// Learning rate: 50 warm-up steps, then cosine to 10 % at --steps (baseLearningRate).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MapWeights } from '../../src/onnx/index';
import { readSafetensors, tensorToFloat32 } from '../../src/diffusion/weights/safetensors';
import { createNodeRunner } from '../../src/runtime/node';
import type { HostTensor } from '../../src/runtime/index';
import { BASE_COUNT_WEIGHTS, BASE_IMAGE, BASE_LATENT, BASE_SEQ_LEN, BASE_VAE, baseVocab } from '../../src/train/base/config';
import { batchRng, baseTokenizer, captionIds, sceneBatch } from '../../src/train/base/data';
import { buildDenoiserTrainGraph, GROUND_SIDES } from '../../src/train/base/graphs';
import { GROUND_SLOTS, groundingFeeds } from '../../src/train/base/grounding';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import type { Params, Part } from './checkpoint';
import { VaeEncoderSession } from './encode';
import { defaultModelFiles, loadedModelOf } from './folder';
import { sampleGrid } from './samples';
import { evaluatorFigures } from '../eval/baseFigures';
import { runLoop } from './stages';
import type { RunState } from './checkpoint';

/** The run's state (saved as state.json beside the weights). */
export type GroundState = {
  from: string; seed: number; steps: number; done: number; lr: number; token: number; pixel: number; objectWeight: number; batch: number;
  scalingFactor: number; seconds: number; loss: number[]; diffusion: number[]; tokenLoss: number[]; pixelLoss: number[];
};

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const str = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? String(process.argv[i + 1]) : fallback;
};
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const f32 = (dims: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', dims, data });

/** A default-model folder's weights by part and state-dict name. */
function readFolder(dir: string): { params: Params; scalingFactor: number } {
  const part = (p: string): Map<string, Float32Array> => {
    const file = readSafetensors(new Uint8Array(readFileSync(join(dir, p))));
    return new Map(Object.entries(file.tensors).map(([name, t]) => [name, tensorToFloat32(name, t)]));
  };
  const vaeConfig = JSON.parse(readFileSync(join(dir, 'vae/config.json'), 'utf8')) as { scaling_factor: number };
  return {
    params: { unet: part('unet/diffusion_pytorch_model.safetensors'), text_encoder: part('text_encoder/model.safetensors'), vae: part('vae/diffusion_pytorch_model.safetensors') },
    scalingFactor: vaeConfig.scaling_factor,
  };
}

async function exportRun(state: GroundState, params: Params, out: string): Promise<void> {
  if (params.vae.size === 0) params.vae = readFolder(state.from).params.vae;
  const runner = createNodeRunner({ threads: arg('threads', 2) });
  const base = { scalingFactor: state.scalingFactor } as RunState;
  const files = defaultModelFiles(base, params);
  for (const path of ['unet/diffusion_pytorch_model.safetensors', 'text_encoder/model.safetensors'] as const) writeFileSync(join(out, path), files.get(path) as Uint8Array);
  if (flag('weights-only')) return;
  const model = await loadedModelOf(files, base);
  process.stderr.write('sample grid…\n');
  writeFileSync(join(out, 'samples.png'), await sampleGrid(runner, model));
  if (existsSync('public/models/evaluator/evaluator.json')) {
    process.stderr.write('evaluator figures…\n');
    writeFileSync(join(out, 'eval.json'), `${JSON.stringify(await evaluatorFigures(runner, model), null, 1)}\n`);
  }
  process.stderr.write(`exported stage C (${state.done} steps) into ${out}\n`);
}

async function main(): Promise<void> {
  const dir = str('dir', '.cache/ground');
  const saved = flag('resume') || flag('export-only') ? loadCheckpoint(dir) : undefined;
  if ((flag('resume') || flag('export-only')) && !saved) throw new Error(`no checkpoint in ${dir} (state.json missing); run without --resume first`);
  if (flag('export-only')) return exportRun(saved?.state as unknown as GroundState, saved?.params as Params, str('out', 'public/models/default'));
  const from = str('from', 'public/models/default');
  const init = saved ? undefined : readFolder(from);
  const state: GroundState = (saved?.state as unknown as GroundState | undefined) ?? {
    from, seed: arg('seed', 0), steps: arg('steps', 3000), done: 0, lr: arg('lr', 2e-4), token: arg('token', 0.02), pixel: arg('pixel', 0.002),
    objectWeight: arg('object-weight', 3), batch: arg('batch', 16), scalingFactor: init?.scalingFactor ?? 0, seconds: 0, loss: [], diffusion: [], tokenLoss: [], pixelLoss: [],
  };
  if (saved) state.steps = Math.max(arg('steps', state.steps), state.done);
  const params = saved?.params ?? (init as { params: Params }).params;
  if (saved && params.vae.size === 0) Object.assign(params, { vae: readFolder(state.from).params.vae });
  const runner = createNodeRunner({ threads: arg('threads', 2) });
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  const keep: Part[] = ['unet', 'text_encoder'];
  const save = (): void => saveCheckpoint(dir, state, { ...params, vae: keep.includes('vae') ? params.vae : new Map() });
  const batch = state.batch;
  const graph = buildDenoiserTrainGraph(batch, { seed: state.seed }, state.objectWeight > 0, { token: state.token, pixel: state.pixel });
  const encoder = await VaeEncoderSession.create(runner, new MapWeights(params.vae), batch);
  const tok = baseTokenizer();
  const vocab = baseVocab();
  const lat = [batch, BASE_VAE.latent_channels, BASE_LATENT, BASE_LATENT];
  const n = lat.reduce((a, b) => a * b, 1);
  const minutes = flag('minutes') ? arg('minutes', 0) : undefined;
  try {
    state.done = await runLoop({ runner, batch, lr: state.lr, checkpointEvery: arg('checkpoint-every', 200), save, signal: abort.signal, minutes, dir }, {
      graph, params, done: state.done, total: state.steps, label: 'C ground', stage: 'ground',
      feeds: async (i) => {
        const rng = batchRng(state.seed, 5, i);
        const { pixels, captions, objects, masks } = sceneBatch(rng, batch, BASE_COUNT_WEIGHTS);
        const latents = (await encoder.encodeMean(pixels)).map((v) => v * state.scalingFactor);
        const timestep = Float32Array.from({ length: batch }, () => rng.int(0, 999));
        const noise = rng.normalArray(n, 1);
        const ids = captionIds(tok, captions, rng, 0.1);
        const words = Array.from({ length: batch }, (_, b) => Array.from(ids.subarray(b * BASE_SEQ_LEN, (b + 1) * BASE_SEQ_LEN), (id) => vocab[id] ?? ''));
        const g = groundingFeeds(words, masks, BASE_IMAGE, GROUND_SIDES, BASE_SEQ_LEN);
        return {
          latents: f32(lat, latents), noise: f32(lat, noise), timestep: f32([batch], timestep),
          input_ids: { dtype: 'int32', dims: [batch, BASE_SEQ_LEN], data: ids },
          ...(state.objectWeight > 0 ? { loss_weight: f32([batch, 1, BASE_LATENT, BASE_LATENT], objects.map((m) => 1 + state.objectWeight * m)) } : {}),
          ground_select: f32([batch, BASE_SEQ_LEN, GROUND_SLOTS], g.select),
          ...Object.fromEntries(GROUND_SIDES.map((s) => [`ground_mask_${s}`, f32([batch, GROUND_SLOTS, s * s], g.masks.get(s) as Float32Array)])),
          ground_token_weight: f32([batch, GROUND_SLOTS], g.tokenWeight), ground_pixel_weight: f32([batch, GROUND_SLOTS], g.pixelWeight),
        };
      },
      onPlan: (total) => (state.steps = total),
      onLoss: (loss, s, terms) => {
        state.loss.push(loss);
        state.diffusion.push(terms.loss_diffusion ?? NaN);
        state.tokenLoss.push(terms.loss_token ?? NaN);
        state.pixelLoss.push(terms.loss_pixel ?? NaN);
        state.seconds += s;
        state.done += 1;
        if (state.done % 50 === 0) {
          const m = (a: number[]): string => (a.slice(-50).reduce((x, y) => x + y, 0) / Math.min(50, a.length)).toFixed(4);
          process.stderr.write(`\n[C ground] step ${state.done}: loss ${m(state.loss)} diffusion ${m(state.diffusion)} token ${m(state.tokenLoss)} pixel ${m(state.pixelLoss)} (${(state.seconds / state.done).toFixed(2)} s/step)\n`);
        }
      },
    });
  } finally {
    await encoder.dispose();
  }
  save();
}

await main();
