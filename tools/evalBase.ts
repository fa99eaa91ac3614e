// CLI `npm run eval:base`: scores a text-to-image model folder with the world evaluator on the fixed prompt
// set (tools/eval/baseFigures.ts; the default model's card uses the same function). Reads files, writes only
// stdout (figures) and stderr (progress). Reference: the `eval:base` figures.
// Usage: npm run eval:base -- [--json] [--model public/models/default] [--n 60] [--rendered | --reconstructed] [--threads 2]
//   --rendered: the rendered prompt scenes (the ceiling); --reconstructed: those scenes through the model's VAE
import { createNodeFileSource } from '../src/diffusion/loaders/node';
import { loadDiffusersFolder } from '../src/diffusion/loaders/diffusersFolder';
import { createNodeRunner } from '../src/runtime/node';
import { baseScores, DEFAULT_PROMPTS } from './eval/baseFigures';
import { SAMPLING } from './trainBase/samples';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);

async function main(): Promise<void> {
  const n = Number(option('n') ?? DEFAULT_PROMPTS);
  const dir = option('model') ?? 'public/models/default';
  const runner = createNodeRunner({ threads: Number(option('threads') ?? 2) });
  const t0 = performance.now();
  const model = flag('rendered') ? undefined : await loadDiffusersFolder(createNodeFileSource(dir));
  const source = flag('reconstructed') ? 'reconstructed' : 'generated';
  const s = await baseScores(runner, n, model, (i, total) => process.stderr.write(`\rimage ${i}/${total}  ${((performance.now() - t0) / 1000).toFixed(0)} s`), source);
  if (model && source === 'generated') process.stderr.write('\n');
  const { textAlignment, shapeAccuracy, colorAccuracy, twoObjectAccuracy, heldOutAccuracy } = s;
  const out = {
    textAlignment, shapeAccuracy, colorAccuracy, twoObjectAccuracy, heldOutAccuracy,
    prompts: s.prompts, source: s.source, model: model ? dir : null, sampling: s.source === 'generated' ? SAMPLING : null,
    seconds: Math.round((performance.now() - t0) / 1000),
  };
  if (flag('json')) {
    console.log(JSON.stringify(out, null, 1));
    return;
  }
  console.log(`${s.source === 'rendered' ? 'rendered scenes (ceiling)' : s.source === 'reconstructed' ? `${dir}: VAE reconstructions of the rendered scenes` : dir}: ${n} prompts`);
  for (const [k, v] of Object.entries({ textAlignment, shapeAccuracy, colorAccuracy, twoObjectAccuracy, heldOutAccuracy })) console.log(`  ${k.padEnd(18)} ${pct(v)}`);
}

await main();
