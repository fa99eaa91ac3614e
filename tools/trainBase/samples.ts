// Sample grid of the default model, through the project's txt2img pipeline (Txt2ImgPipeline, DDIM, CFG) in
// onnxruntime-node. Fixed prompts and seeds, so the grid is reproducible. The card's evaluator figures come
// from tools/eval/baseFigures.ts (the same function as `npm run eval:base`), which reuses SAMPLING and generate.
import { encodePng } from '../../src/diffusion/image/png';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import type { EvalImage } from '../../src/eval/index';
import type { Runner } from '../../src/runtime/index';

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

/** Image `index` of RGB bytes [B, size, size, 3] as RGBA (alpha 255). */
export function toRgba(rgb: Uint8Array, size: number, index: number): Uint8Array {
  const n = size * size;
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = rgb[(index * n + p) * 3 + c] as number;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** One 64×64 image for `prompt` and `seed` with SAMPLING, as RGBA. */
export async function generate(pipe: Txt2ImgPipeline, prompt: string, seed: number): Promise<EvalImage> {
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
