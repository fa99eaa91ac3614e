// CLI: trains the world evaluator (src/eval) in onnxruntime-node and writes public/models/evaluator/
// evaluator.bin + evaluator.json (manifest + card: steps, wall time, per-head accuracy on a fixed held-out test
// set incl. HELD_OUT pairs). Usage: npx tsx tools/eval/trainEvaluator.ts [--steps 3000] [--batch 16] [--threads 2] [--seed 0]
import { mkdirSync, writeFileSync } from 'node:fs';
import { Rng } from '../../src/lib/random';
import { createNodeRunner } from '../../src/runtime/node';
import { Evaluator, headAccuracy, packWeights, testScenes, trainEvaluator, trainingBatch, labelled, EMBED_DIM } from '../../src/eval/index';
import type { EvaluatorManifest } from '../../src/eval/index';
import type { Runner } from '../../src/runtime/index';

const OUT_DIR = 'public/models/evaluator';
/** seed of the fixed held-out test set (also used by test/eval) */
const TEST_SEED = 1000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function embeddingMean(ev: Evaluator, seed: number): Promise<number[]> {
  const emb = await ev.embed(trainingBatch(new Rng(seed), 256).images);
  const mean = new Array<number>(EMBED_DIM).fill(0);
  for (const e of emb) e.forEach((v, i) => (mean[i] = (mean[i] as number) + v / emb.length));
  return mean;
}

async function card(runner: Runner, params: Record<string, Float32Array>, mean: number[]): Promise<Record<string, unknown>> {
  const ev = await Evaluator.create(runner, params, mean);
  const { ordinary, heldOut } = testScenes(new Rng(TEST_SEED), 256);
  const result = {
    testSeed: TEST_SEED,
    ordinary: headAccuracy(await ev.predict(labelled(ordinary).images), ordinary),
    heldOutPairs: headAccuracy(await ev.predict(labelled(heldOut).images), heldOut),
  };
  await ev.dispose();
  return result;
}

async function main(): Promise<void> {
  const steps = arg('steps', 3000);
  const seed = arg('seed', 0);
  const batch = arg('batch', 16);
  const runner = createNodeRunner({ threads: arg('threads', 2) });
  const t0 = performance.now();
  let window = 0;
  const r = await trainEvaluator(runner, {
    steps, seed, batch, refreshPerStep: 4,
    onStep: (s, loss) => {
      window += loss;
      if (s % 50 === 0) {
        console.log(`step ${s}/${steps}  loss ${(window / 50).toFixed(3)}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        window = 0;
      }
    },
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const probe = await Evaluator.create(runner, r.params, new Array<number>(EMBED_DIM).fill(0));
  const mean = await embeddingMean(probe, seed + 7);
  await probe.dispose();
  const accuracy = await card(runner, r.params, mean);
  const { blob, tensors } = packWeights(r.params);
  const tail = r.losses.slice(-50);
  const manifest: EvaluatorManifest = {
    format: 'disenstudio-evaluator-f32le/1', weights: 'evaluator.bin', tensors, embeddingMean: mean,
    card: { steps: r.steps, batch, seed, threads: arg('threads', 2), wallSeconds: Math.round(wallSeconds), finalLoss: tail.reduce((a, b) => a + b, 0) / tail.length, accuracy },
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}/evaluator.bin`, blob);
  writeFileSync(`${OUT_DIR}/evaluator.json`, `${JSON.stringify(manifest, null, 1)}\n`);
  console.log(JSON.stringify(manifest.card, null, 1));
}

await main();
