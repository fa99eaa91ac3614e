// CLI `npm run eval:attention`: does a model's cross-attention find its objects? Per word class and layer level,
// DAAM-style mIoU and DisenDiff's own-object share on rendered held-out world scenes (tools/eval/attentionFigures.ts).
// Works on any loadable model (the default model's folder, an SD-family diffusers folder or single file).
// Usage: npm run eval:attention -- [--json] [--model public/models/default] [--scenes 24] [--timesteps 100,300,500,700] [--threads 2]
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import { loadAnyModel } from '../../src/diffusion/loaders/detect';
import { createNodeRunner } from '../../src/runtime/node';
import { attentionFigures, DEFAULT_TIMESTEPS } from './attentionFigures';

const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  const dir = option('model') ?? 'public/models/default';
  const scenes = Number(option('scenes') ?? 24);
  const timesteps = option('timesteps')?.split(',').map(Number) ?? DEFAULT_TIMESTEPS;
  const runner = createNodeRunner({ threads: Number(option('threads') ?? 2) });
  const t0 = performance.now();
  const model = await loadAnyModel(createNodeFileSource(dir));
  const f = await attentionFigures(runner, model, { scenes, timesteps, onProgress: (i, n) => process.stderr.write(`\rscene ${i}/${n}`) });
  process.stderr.write('\n');
  const out = { model: dir, ...f, seconds: Math.round((performance.now() - t0) / 1000) };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(out, null, 1));
    return;
  }
  console.log(`${dir}: ${scenes} scenes, t ∈ {${timesteps.join(', ')}}, DisenDiff layers ${f.disendiffLevel}`);
  for (const [kind, k] of Object.entries(f.byKind)) {
    console.log(`  ${kind.padEnd(8)} words ${String(k.words).padStart(3)}  own share ${k.ownShare.toFixed(3)}  other ${k.otherShare.toFixed(3)}  mIoU ${Object.entries(k.miou).map(([lv, v]) => `${lv} ${v.toFixed(3)}`).join('  ')}`);
  }
}

await main();
