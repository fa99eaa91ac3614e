// Export of npm run train:base: writes public/models/default/ (folder.ts), loss_curve.png, samples.png,
// eval.json (evaluator figures) and MODEL_CARD.md from a run's state and parameters. Overwrites the folder's
// files; never deletes other files. Reference: MODEL_CARD.md template in card.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Runner } from '../../src/runtime/index';
import { modelCard } from './card';
import type { Params, RunState } from './checkpoint';
import { defaultModelFiles, loadedModelOf, partShapes } from './folder';
import { lossCurvePng } from './plot';
import { evaluatorFigures } from '../eval/baseFigures';
import { sampleGrid } from './samples';

const count = (entries: { shape: number[] }[]): number => entries.reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1), 0);

export async function exportDefaultModel(runner: Runner, state: RunState, params: Params, out: string): Promise<void> {
  const files = defaultModelFiles(state, params);
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), bytes);
  }
  const bytes = [...files.values()].reduce((s, b) => s + b.length, 0);
  writeFileSync(join(out, 'loss_curve.png'), lossCurvePng(state.vaeLoss, state.unetLoss));
  const model = await loadedModelOf(files, state);
  process.stderr.write('sample grid…\n');
  writeFileSync(join(out, 'samples.png'), await sampleGrid(runner, model));
  const hasEvaluator = existsSync('public/models/evaluator/evaluator.json');
  process.stderr.write(hasEvaluator ? 'evaluator figures…\n' : 'no evaluator: figures skipped\n');
  const figures = hasEvaluator ? await evaluatorFigures(runner, model) : undefined;
  if (figures) writeFileSync(join(out, 'eval.json'), `${JSON.stringify(figures, null, 1)}\n`);
  const shapes = partShapes();
  const counts = { unet: count(shapes.unet), text_encoder: count(shapes.text_encoder), vae: count(shapes.vae) };
  const stoppedEarly = state.vaeDone < state.vaeSteps || state.unetDone < state.unetSteps;
  writeFileSync(join(out, 'MODEL_CARD.md'), modelCard({ state, counts, bytes, figures, stoppedEarly }));
  process.stderr.write(`exported ${out} (${(bytes / 1e6).toFixed(2)} MB of weights and configs)\n`);
}
