// `npx tsx tools/baseModel/export.ts`: turns the latest .cache/baseModel checkpoint into public/models/default
// (F16 diffusers folder), then loads that folder like the studio does and writes samples.png (fixed prompts ×
// seeds), loss_curve.png and figures.json (counts, steps, wall time, evaluator scores). Writes nothing else.
// Flags: --dir D (checkpoints) --out O (folder) --steps N --cfg W --eval N (evaluator prompts; 0 = skip)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodePng } from '../../src/diffusion/image/png';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import { createNodeFileSource, writeFilesToFolder } from '../../src/diffusion/loaders/node';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import { loadEvaluator } from '../../src/eval/index';
import type { EvaluatorManifest } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';
import { createNodeRunner } from '../../src/runtime/node';
import type { Runner } from '../../src/runtime/index';
import { baseModelFolder, baseParamTables } from '../../src/train/baseModel/folder';
import { captionOf, renderScene, sampleScene } from '../../src/world/index';
import { loadParams, loadState } from './checkpoint';
import { imageGrid, lossCurve } from './plot';

export const GRID_PROMPTS = [
  'a red circle on a grey background',
  'a large blue square on a sky background',
  'a small yellow striped star on a night background',
  'a green triangle and a purple heart on a sand background',
];
export const GRID_SEED = 1;

const { values: a } = parseArgs({
  options: {
    dir: { type: 'string', default: '.cache/baseModel' }, out: { type: 'string', default: 'public/models/default' },
    steps: { type: 'string', default: '25' }, cfg: { type: 'string', default: '5' }, eval: { type: 'string', default: '48' },
  },
});
const out = a.out as string;

const toRgba = (rgb: Uint8Array): Uint8Array => Uint8Array.from({ length: (rgb.length / 3) * 4 }, (_, i) => (i % 4 === 3 ? 255 : (rgb[Math.floor(i / 4) * 3 + (i % 4)] as number)));

async function evaluate(runner: Runner, pipe: Txt2ImgPipeline, n: number, gen: { steps: number; guidanceScale: number }): Promise<Record<string, unknown>> {
  const dir = 'public/models/evaluator';
  if (n === 0 || !existsSync(join(dir, 'evaluator.json'))) return { skipped: `no evaluator at ${dir}` };
  const manifest = JSON.parse(readFileSync(join(dir, 'evaluator.json'), 'utf8')) as EvaluatorManifest;
  const ev = await loadEvaluator(runner, { manifest, weights: new Uint8Array(readFileSync(join(dir, manifest.weights))) });
  const rng = new Rng(777);
  const scenes = Array.from({ length: n }, () => sampleScene(rng, { excludeHeldOut: false }));
  const prompts = scenes.map(captionOf);
  const generated = [];
  for (let i = 0; i < n; i++) {
    const r = await pipe.generate({ prompt: prompts[i] as string, seed: 100 + i, sampler: 'DDIM', preview: 'none', ...gen });
    generated.push({ size: r.width, rgba: toRgba(r.rgb) });
  }
  const real = scenes.map((s) => ({ size: 64, rgba: renderScene(s, 64).rgba }));
  const scores = { prompts: n, promptSeed: 777, generated: await ev.scoreSet(generated, prompts), renderedGroundTruth: await ev.scoreSet(real, prompts) };
  await ev.dispose();
  return scores;
}

async function main(): Promise<void> {
  const dir = a.dir as string;
  const state = loadState(dir);
  const vae = loadParams(dir, 'vae');
  const diffusion = loadParams(dir, 'diffusion');
  if (!state || !vae || !diffusion || state.scalingFactor === undefined) throw new Error(`${dir} has no finished stage A and stage-B checkpoint; run npm run train:base first`);
  await writeFilesToFolder(out, baseModelFolder(vae, diffusion, state.scalingFactor));
  const runner = createNodeRunner({ threads: 2 });
  const pipe = new Txt2ImgPipeline(runner, await loadDiffusersFolder(createNodeFileSource(out)));
  const gen = { steps: Number(a.steps), guidanceScale: Number(a.cfg) };
  const tiles: Uint8Array[] = [];
  const t0 = Date.now();
  for (const prompt of GRID_PROMPTS) {
    const r = await pipe.generate({ prompt, seed: GRID_SEED, batch: 4, sampler: 'DDIM', preview: 'none', ...gen });
    for (let i = 0; i < 4; i++) tiles.push(r.rgb.subarray(i * 64 * 64 * 3, (i + 1) * 64 * 64 * 3));
  }
  const genSeconds = (Date.now() - t0) / 1000;
  const grid = imageGrid(tiles, 64, 4, 2);
  writeFileSync(join(out, 'samples.png'), encodePng({ width: grid.width, height: grid.height, channels: 3, data: grid.data }));
  const curve = lossCurve([state.a.losses, state.b.losses]);
  writeFileSync(join(out, 'loss_curve.png'), encodePng({ width: curve.width, height: curve.height, channels: 3, data: curve.data }));
  const t = baseParamTables();
  const count = (ps: { shape: number[] }[]): number => ps.reduce((s, p) => s + p.shape.reduce((x, d) => x * d, 1), 0);
  const mean = (xs: number[], k: number): number => xs.slice(-k).reduce((s, v) => s + v, 0) / Math.min(k, xs.length);
  const figures = {
    params: { unet: count(t.unet), textEncoder: count(t.text), vae: count(t.vae) },
    stageA: { steps: state.a.step, batch: state.batchA, wallSeconds: Math.round(state.a.wallS), lossFirst50: mean(state.a.losses.slice(0, 50), 50), lossLast50: mean(state.a.losses, 50) },
    stageB: { steps: state.b.step, batch: state.batch, wallSeconds: Math.round(state.b.wallS), lossFirst50: mean(state.b.losses.slice(0, 50), 50), lossLast50: mean(state.b.losses, 50) },
    scalingFactor: state.scalingFactor, seed: state.seed, latentPool: state.poolSize,
    grid: { prompts: GRID_PROMPTS, seeds: [GRID_SEED, GRID_SEED + 1, GRID_SEED + 2, GRID_SEED + 3], sampler: 'DDIM', ...gen, seconds: genSeconds },
    evaluator: await evaluate(runner, pipe, Number(a.eval), gen),
  };
  writeFileSync(join(out, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`export failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
