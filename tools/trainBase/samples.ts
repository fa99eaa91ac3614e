// Sample grid and evaluator figures of the default model, through the project's txt2img pipeline
// (Txt2ImgPipeline, DDIM, CFG) in onnxruntime-node. Fixed prompts and seeds, so the grid is reproducible.
// Evaluator figures: src/eval scoreSet on images generated from the captions of seeded test scenes
// (testScenes, seed 1000, incl. HELD_OUT pairs) and, as the ceiling, on the rendered scenes themselves.
import { readFileSync } from 'node:fs';
import { encodePng } from '../../src/diffusion/image/png';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import { loadEvaluator, testScenes } from '../../src/eval/index';
import type { EvalImage, EvaluatorManifest, SetScores } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';
import type { Runner } from '../../src/runtime/index';
import { captionOf, renderScene } from '../../src/world/index';

/** Rows of the sample grid (the last one names a HELD_OUT pair: purple star). */
export const GRID_PROMPTS = [
  'a large red circle on a grey background',
  'a large blue square on a sand background',
  'a large green striped triangle on a sky background',
  'a large yellow star on a night background',
  'a large white dotted circle on a night background',
  'a small red heart and a small blue diamond on a grey background',
  'a large purple star on a sand background',
];
export const GRID_SEEDS = [0, 1, 2, 3];
export const SAMPLING = { sampler: 'DDIM', steps: 30, guidanceScale: 4 };

function toRgba(rgb: Uint8Array, size: number, index: number): Uint8Array {
  const n = size * size;
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = rgb[(index * n + p) * 3 + c] as number;
    out[p * 4 + 3] = 255;
  }
  return out;
}

async function generate(pipe: Txt2ImgPipeline, prompt: string, seed: number): Promise<EvalImage> {
  const r = await pipe.generate({ prompt, seed, ...SAMPLING, preview: 'none' });
  return { size: r.width, rgba: toRgba(r.rgb, r.width, 0) };
}

/** PNG of the grid: one row per prompt, one column per seed, each 64×64 image scaled ×2, 4 px gaps. */
export async function sampleGrid(runner: Runner, model: LoadedModel): Promise<Uint8Array> {
  const pipe = new Txt2ImgPipeline(runner, model);
  const tile = 128;
  const gap = 4;
  const w = GRID_SEEDS.length * (tile + gap) + gap;
  const h = GRID_PROMPTS.length * (tile + gap) + gap;
  const data = new Uint8Array(w * h * 3).fill(255);
  for (const [row, prompt] of GRID_PROMPTS.entries()) {
    for (const [col, seed] of GRID_SEEDS.entries()) {
      const img = await generate(pipe, prompt, seed);
      for (let y = 0; y < tile; y++) {
        for (let x = 0; x < tile; x++) {
          const src = (Math.floor(y / 2) * img.size + Math.floor(x / 2)) * 4;
          const dst = ((gap + row * (tile + gap) + y) * w + gap + col * (tile + gap) + x) * 3;
          for (let c = 0; c < 3; c++) data[dst + c] = img.rgba[src + c] as number;
        }
      }
    }
  }
  return encodePng({ width: w, height: h, channels: 3, data });
}

export type EvalFigures = { prompts: number; generated: SetScores; renderedCeiling: SetScores; sampling: typeof SAMPLING };

/** Evaluator figures on `n` ordinary + n/4 HELD_OUT test captions (seed 1000), one image each (seed = index). */
export async function evaluatorFigures(runner: Runner, model: LoadedModel, n = 48): Promise<EvalFigures> {
  const manifest = JSON.parse(readFileSync('public/models/evaluator/evaluator.json', 'utf8')) as EvaluatorManifest;
  const ev = await loadEvaluator(runner, { manifest, weights: new Uint8Array(readFileSync('public/models/evaluator/evaluator.bin')) });
  const { ordinary, heldOut } = testScenes(new Rng(1000), n);
  const scenes = [...ordinary, ...heldOut];
  const prompts = scenes.map(captionOf);
  const pipe = new Txt2ImgPipeline(runner, model);
  const images: EvalImage[] = [];
  for (const [i, p] of prompts.entries()) images.push(await generate(pipe, p, i));
  const rendered = scenes.map((s) => ({ size: 64, rgba: renderScene(s, 64, 3).rgba }));
  const figures = { prompts: prompts.length, generated: await ev.scoreSet(images, prompts), renderedCeiling: await ev.scoreSet(rendered, prompts), sampling: SAMPLING };
  await ev.dispose();
  return figures;
}
