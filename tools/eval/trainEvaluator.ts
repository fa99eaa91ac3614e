// CLI: trains the world evaluator's per-object classifier (src/eval) in onnxruntime-node and writes
// public/models/evaluator/evaluator.bin + evaluator.json (manifest + card: steps, wall time, per-head accuracy on
// a fixed held-out test set incl. HELD_OUT pairs, crisp, blurred + noised, and through the default model's VAE
// when public/models/default exists). Never touches other folders.
// Usage: npx tsx tools/eval/trainEvaluator.ts [--steps 1000] [--batch 64] [--threads 2] [--seed 0] [--pool 1024]
//        npx tsx tools/eval/trainEvaluator.ts --continue --steps 800 --lr 1e-3 --seed 1   (continues from the
//        committed weights with a fresh data stream; the card adds the steps and wall time)
//        npx tsx tools/eval/trainEvaluator.ts --rescore   (recomputes the committed card's accuracy, e.g. after a
//        change in segment.ts; weights and training facts stay)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../src/diffusion/index';
import { degradeImage, Evaluator, EMBED_DIM, headAccuracy, TEST_DEGRADATION, packWeights, testScenes, trainEvaluator, trainingScenes, unpackWeights } from '../../src/eval/index';
import type { EvaluatorManifest } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';
import { createNodeRunner } from '../../src/runtime/node';
import type { Runner } from '../../src/runtime/index';
import { isHeldOut, renderScene } from '../../src/world/index';
import type { Scene } from '../../src/world/index';
import { vaeReconstructions } from './baseFigures';

const OUT_DIR = 'public/models/evaluator';
/** seed of the fixed held-out test set (also used by test/eval) */
const TEST_SEED = 1000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function embeddingMean(ev: Evaluator, seed: number): Promise<number[]> {
  const emb = await ev.embed(trainingScenes(new Rng(seed), 256).images);
  const mean = new Array<number>(EMBED_DIM).fill(0);
  for (const e of emb) e.forEach((v, i) => (mean[i] = (mean[i] as number) + v / emb.length));
  return mean;
}

/** The model whose VAE reconstructions the card also scores (a decoder's real artefacts, not a simulation). */
const RECONSTRUCTION_MODEL = 'public/models/default';

/** Head accuracy on the renders of `scenes`: crisp, degraded by TEST_DEGRADATION (noise seeded per set), or
 * through RECONSTRUCTION_MODEL's VAE. */
async function accuracyOn(runner: Runner, ev: Evaluator, scenes: Scene[], how: 'crisp' | 'degraded' | LoadedModel, only?: (o: Scene['objects'][number]) => boolean) {
  const renders = scenes.map((s) => renderScene(s, 64));
  const rng = new Rng(TEST_SEED + 1);
  const images = how === 'crisp' ? renders : how === 'degraded' ? renders.map((r) => degradeImage(r, TEST_DEGRADATION, rng)) : await vaeReconstructions(runner, how, renders);
  return headAccuracy(await ev.predict(images), scenes, renders.map((r) => r.masks), only);
}

/** Accuracy on the fixed test set (256 ordinary scenes, 64 whose first object is a HELD_OUT pair), crisp and degraded. */
async function card(runner: Runner, params: Record<string, Float32Array>, mean: number[]): Promise<Record<string, unknown>> {
  const ev = await Evaluator.create(runner, params, mean);
  const { ordinary, heldOut } = testScenes(new Rng(TEST_SEED), 256);
  const held = (o: Scene['objects'][number]): boolean => isHeldOut(o.color, o.shape);
  const vae = existsSync(`${RECONSTRUCTION_MODEL}/model_index.json`) ? await loadDiffusersFolder(createNodeFileSource(RECONSTRUCTION_MODEL)) : undefined;
  const result = {
    testSeed: TEST_SEED,
    ordinary: await accuracyOn(runner, ev, ordinary, 'crisp'),
    heldOutPairs: await accuracyOn(runner, ev, heldOut, 'crisp', held),
    degradation: TEST_DEGRADATION,
    ordinaryDegraded: await accuracyOn(runner, ev, ordinary, 'degraded'),
    heldOutPairsDegraded: await accuracyOn(runner, ev, heldOut, 'degraded', held),
    ...(vae ? {
      reconstructedBy: RECONSTRUCTION_MODEL,
      ordinaryReconstructed: await accuracyOn(runner, ev, ordinary, vae),
      heldOutPairsReconstructed: await accuracyOn(runner, ev, heldOut, vae, held),
    } : {}),
  };
  await ev.dispose();
  return result;
}

async function main(): Promise<void> {
  const [steps, seed, batch, threads, poolSize] = [arg('steps', 1000), arg('seed', 0), arg('batch', 64), arg('threads', 2), arg('pool', 1024)];
  const runner = createNodeRunner({ threads });
  const t0 = performance.now();
  let window = 0;
  const lr = arg('lr', 3e-3);
  const previous = process.argv.includes('--continue') ? committed() : undefined;
  const r = await trainEvaluator(runner, {
    steps, seed, batch, poolSize, refreshPerStep: 2, lr, init: previous?.params,
    onStep: (s, loss) => {
      window += loss;
      if (s % 50 === 0) {
        console.log(`step ${s}/${steps}  loss ${(window / 50).toFixed(4)}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
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
    format: 'disenstudio-evaluator-f32le/2', weights: 'evaluator.bin', tensors, embeddingMean: mean,
    card: {
      steps: r.steps, batch, seed, threads, poolSize, wallSeconds: Math.round(wallSeconds), finalLoss: tail.reduce((a, b) => a + b, 0) / tail.length, accuracy,
      ...(previous ? { continuedFrom: previous.manifest.card, continuedLr: lr } : {}),
    },
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}/evaluator.bin`, blob);
  writeFileSync(`${OUT_DIR}/evaluator.json`, `${JSON.stringify(manifest, null, 1)}\n`);
  console.log(JSON.stringify(manifest.card, null, 1));
}

/** The committed manifest and weights. */
function committed(): { manifest: EvaluatorManifest; params: Record<string, Float32Array> } {
  const manifest = JSON.parse(readFileSync(`${OUT_DIR}/evaluator.json`, 'utf8')) as EvaluatorManifest;
  return { manifest, params: unpackWeights(manifest, new Uint8Array(readFileSync(`${OUT_DIR}/${manifest.weights}`))) };
}

/** --rescore: the committed weights' card accuracy, recomputed with the current code. */
async function rescore(): Promise<void> {
  const { manifest, params } = committed();
  const accuracy = await card(createNodeRunner({ threads: arg('threads', 2) }), params, manifest.embeddingMean);
  manifest.card = { ...manifest.card, accuracy };
  writeFileSync(`${OUT_DIR}/evaluator.json`, `${JSON.stringify(manifest, null, 1)}\n`);
  console.log(JSON.stringify(accuracy, null, 1));
}

await (process.argv.includes('--rescore') ? rescore() : main());
