// `npm run bench:calibration-share -- --json [--scenes 2] [--batches 8] [--lambda 0.01] [--train-steps 0]`: how much
// of the gradient DisenDiff's calibration contributes on the default model, per trainable group, at the modifier
// init (and, with --train-steps N, after N steps of the released method). The training graph is built twice with the
// released terms, once with λ = 1 and once with λ = 0 (same structure, src/train/graphs/buildTrainGraph.ts emitLoss:
// loss = L_base + λ·(L_bind + L_s&s)); since the loss is linear in λ, g_cal = g(1) − g(0) and g_base = g(0) exactly, and
// the calibration's share at any λ is λ·‖g_cal‖ / ‖g_base‖. Gradients are summed over --batches micro-batches of the
// run's own data (job.batches), per group: the modifier rows, to_k and to_v of the three 16×16 map layers, and all K/V.
// Prints JSON with --json. No assertions.
import { parseArgs } from 'node:util';
import { DEFAULT_IR_VERSION, DEFAULT_OPSET, encodeModel } from '../../src/onnx/index';
import { createNodeRunner } from '../../src/runtime/node';
import type { HostTensor, Runner } from '../../src/runtime/types';
import { DISENDIFF_TERMS } from '../../src/train/config';
import type { BackwardResult } from '../../src/onnx/autodiff/backward';
import { preparePersonalizeJob } from '../../src/train/loop/job';
import type { PersonalizeJob, PersonalizeRequest } from '../../src/train/loop/job';
import { personalize } from '../../src/train/loop/personalize';
import { MODIFIER_ROWS } from '../../src/train/pack/fromParams';
import { benchScene } from './disentangleScenes';
import { DEFAULT_MODEL, loadModel, withoutMasks } from './worldScenes';

type Grads = Record<string, Float32Array>;

async function gradients(runner: Runner, job: PersonalizeJob, params: Record<string, HostTensor>, batches: number): Promise<Grads> {
  const bw: BackwardResult = job.graph.backward;
  const model = { irVersion: DEFAULT_IR_VERSION, opsetImports: [{ domain: '', version: DEFAULT_OPSET }], producerName: 'disenstudio', producerVersion: '0.1.0', domain: '', modelVersion: 1, docString: '', graph: bw.graph, metadata: {} };
  const session = await runner.createSession('calibration_share', encodeModel(model));
  const sum: Grads = {};
  for (let b = 0; b < batches; b++) {
    const feeds = await job.batches(Math.floor(b / job.config.gradAccumulation), b % job.config.gradAccumulation);
    const out = await session.run({ ...feeds, ...params }, { fetch: Object.values(bw.grads) });
    for (const [wrt, g] of Object.entries(bw.grads)) {
      const d = (out[g] as HostTensor).data as Float32Array;
      const s = (sum[wrt] ??= new Float32Array(d.length));
      for (let i = 0; i < d.length; i++) s[i] = (s[i] as number) + (d[i] as number);
    }
  }
  await session.dispose();
  return sum;
}

const norm = (xs: Float32Array[]): number => Math.sqrt(xs.reduce((a, x) => a + x.reduce((s, v) => s + v * v, 0), 0));
const dot = (a: Float32Array[], b: Float32Array[]): number => a.reduce((s, x, k) => s + x.reduce((t, v, i) => t + v * ((b[k] as Float32Array)[i] as number), 0), 0);

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { scenes: { type: 'string', default: '2' }, batches: { type: 'string', default: '8' }, lambda: { type: 'string', default: '0.01' }, 'train-steps': { type: 'string', default: '0' }, seed: { type: 'string', default: '1' }, model: { type: 'string', default: DEFAULT_MODEL }, threads: { type: 'string', default: '2' }, json: { type: 'boolean', default: false } } });
  const lambda = Number(v.lambda);
  const runner = createNodeRunner({ threads: Number(v.threads) });
  const rows = [];
  for (let si = 0; si < Number(v.scenes); si++) {
    const model = await loadModel(v.model as string);
    const { ref, reg } = await benchScene(runner, model, si, { seed: Number(v.seed), count: 8, steps: 20, hash: 'share' });
    const req = (l: number): PersonalizeRequest => ({ target: withoutMasks(ref.target), concepts: ref.concepts, regularisation: reg, seed: Number(v.seed), steps: Math.max(1, Number(v['train-steps'])), config: { terms: DISENDIFF_TERMS, attentionLossWeight: l, useMasks: false, unionSampling: false, subsetIsolation: false }, rowInit: 'rare' });
    // a job adds the concept tokens to its model's tokenizer: each job gets a freshly loaded model
    const one = await preparePersonalizeJob(runner, model, req(1));
    const zero = await preparePersonalizeJob(runner, await loadModel(v.model as string), req(0));
    let params = one.initialParams;
    if (Number(v['train-steps']) > 0) {
      const trained = await preparePersonalizeJob(runner, await loadModel(v.model as string), req(lambda));
      params = (await personalize({ ...trained, accumulation: trained.config.gradAccumulation, checkpointEvery: trained.steps })).params;
      await trained.dispose();
    }
    const g1 = await gradients(runner, one, params, Number(v.batches));
    const g0 = await gradients(runner, zero, params, Number(v.batches));
    await one.dispose();
    await zero.dispose();
    const names = Object.keys(g0);
    const [mh, mw] = one.graph.mapSize;
    const mapLayers = one.graph.attentionLayers.filter((l) => l.resolution[0] === mh && l.resolution[1] === mw).map((l) => l.layer);
    const inMap = (n: string): boolean => mapLayers.some((l) => n.startsWith(`${l}.`));
    const groups: Record<string, string[]> = { modifierRows: [MODIFIER_ROWS], mapLayerToK: names.filter((n) => inMap(n) && n.includes('to_k')), mapLayerToV: names.filter((n) => inMap(n) && n.includes('to_v')), allKV: names.filter((n) => n !== MODIFIER_ROWS), all: names };
    const share = Object.fromEntries(Object.entries(groups).map(([k, ns]) => {
      const base = ns.map((n) => g0[n] as Float32Array);
      const cal = ns.map((n) => Float32Array.from(g1[n] as Float32Array, (x, i) => x - ((g0[n] as Float32Array)[i] as number)));
      const nb = norm(base);
      const nc = norm(cal);
      return [k, { tensors: ns.length, baseNorm: nb, calibrationNormAtLambda1: nc, shareAtLambda: nb > 0 ? (lambda * nc) / nb : null, lambdaForEqualNorms: nc > 0 ? nb / nc : null, cosine: nb > 0 && nc > 0 ? dot(base, cal) / (nb * nc) : null }];
    }));
    rows.push({ scene: si, concepts: ref.concepts.map((c) => `${c.token}=${c.classWord}`), share });
  }
  const report = { bench: 'calibration-share', model: v.model, lambda, trainSteps: Number(v['train-steps']), batches: Number(v.batches), seed: Number(v.seed), definitions: 'share = λ·‖g(1) − g(0)‖ / ‖g(0)‖ per group, gradients summed over the micro-batches; released terms, no masks, rare-token init; see the header of tools/bench/calibrationShare.ts', scenes: rows };
  console.log(v.json ? JSON.stringify(report, null, 2) : rows.map((r) => `scene ${r.scene}: ${Object.entries(r.share).map(([k, s]) => `${k} ${(s.shareAtLambda ?? NaN).toFixed(4)}`).join(', ')}`).join('\n'));
}

main().catch((e: unknown) => {
  console.error(`bench:calibration-share: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exit(1);
});
