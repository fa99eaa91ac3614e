// `npm run bench:train-step`: forward vs forward+backward vs fused AdamW train step of a small UNet-like net in
// onnxruntime-node (CPU), peak process RSS, and (where Debian's python3-torch exists) the same net in PyTorch
// eager on CPU. Prints ONE JSON object on stdout. Target: forward+backward ≤ 3× forward. No timing assertions.
// forwardMs uses initializer weights (inference); forwardWeightsAsInputsMs feeds them as inputs, as training does.
// Options: --threads N (default 1, also passed to torch), --iters N (default 20), --warmup N (default 3),
// --profile (adds per-op-type ORT kernel times of forward and forward+backward).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildGradientGraph, encodeModel, modelOf } from '../../src/onnx/index';
import type { Graph } from '../../src/onnx/index';
import { createNodeRunner } from '../../src/runtime/node';
import type { HostTensor, Runner } from '../../src/runtime/types';
import { TrainingSession } from '../../src/train/engine/trainStep';
import { Rng } from '../../src/lib/random';
import { profileOps } from './profileOps';
import { buildUnetLike, DEFAULT_CONFIG } from './unetLike';
import type { UnetLikeConfig } from './unetLike';

type Args = { threads: number; iters: number; warmup: number; profile: boolean };
type TorchResult = { version: string; threads: number; forwardMs: number; forwardBackwardMs: number; trainStepMs: number };

function parseArgs(argv: string[]): Args {
  const get = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} must be an integer ≥ 1, got ${argv[i + 1]}`);
    return v;
  };
  return { threads: get('--threads', 1), iters: get('--iters', 20), warmup: get('--warmup', 3), profile: argv.includes('--profile') };
}

async function medianMs(fn: () => Promise<unknown>, a: Args): Promise<number> {
  for (let i = 0; i < a.warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < a.iters; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return round(times[Math.floor(times.length / 2)] as number);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Peak resident set size of this process so far, in MiB (getrusage ru_maxrss). */
function peakRssMiB(): number {
  return round(process.resourceUsage().maxRSS / 1024);
}

async function timeGraph(runner: Runner, graph: Graph, feeds: Record<string, HostTensor>, a: Args): Promise<number> {
  const model = modelOf(graph, { producerName: 'bench' });
  const s = await runner.createSession(graph.name, encodeModel(model));
  try {
    return await medianMs(() => s.run(feeds), a);
  } finally {
    await s.dispose();
  }
}

/** The forward graph with the trainable weights as graph inputs (as in training: ORT cannot pre-pack them). */
function weightsAsInputs(graph: Graph, params: string[]): { graph: Graph; feeds: Record<string, HostTensor> } {
  const lifted = graph.initializers.filter((t) => params.includes(t.name));
  const feeds = Object.fromEntries(lifted.map((t) => [t.name, { dtype: 'float32' as const, dims: t.dims, data: t.data as Float32Array }]));
  const inputs = [...graph.inputs, ...lifted.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.dims }))];
  return { graph: { ...graph, inputs, initializers: graph.initializers.filter((t) => !params.includes(t.name)) }, feeds };
}

/** Runs trainStepTorch.py with python3 (then /usr/bin/python3); null when torch is not importable. */
function runTorch(cfg: UnetLikeConfig, a: Args): TorchResult | null {
  const script = fileURLToPath(new URL('./trainStepTorch.py', import.meta.url));
  const arg = JSON.stringify({ ...cfg, threads: a.threads, warmup: a.warmup, iters: a.iters });
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, [script, arg], { encoding: 'utf8', timeout: 600_000 });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split('\n').pop() as string) as TorchResult;
  }
  return null;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const cfg = DEFAULT_CONFIG;
  const net = buildUnetLike(cfg);
  const rng = new Rng(1);
  const n = cfg.batch * cfg.inCh * cfg.size * cfg.size;
  const dims = [cfg.batch, cfg.inCh, cfg.size, cfg.size];
  const feeds = { x: { dtype: 'float32' as const, dims, data: rng.normalArray(n) }, target: { dtype: 'float32' as const, dims, data: rng.normalArray(n) } };
  const runner = createNodeRunner({ threads: a.threads });
  const report: Record<string, unknown> = { bench: 'train-step', runtime: 'onnxruntime-node cpu', threads: a.threads, iters: a.iters, net: { ...cfg, params: net.paramCount } };
  report.loadAverage1m = round(loadavg()[0] as number); // other processes on the machine skew every timing
  const rss: Record<string, number> = { start: peakRssMiB() };
  const forwardMs = await timeGraph(runner, net.graph, feeds, a);
  report.forwardMs = forwardMs;
  const lifted = weightsAsInputs(net.graph, net.params);
  report.forwardWeightsAsInputsMs = await timeGraph(runner, lifted.graph, { ...feeds, ...lifted.feeds }, a);
  rss.afterForward = peakRssMiB();
  try {
    const backward = buildGradientGraph(net.graph, { loss: net.loss, wrt: net.params });
    const forwardBackwardMs = await timeGraph(runner, backward.graph, feeds, a);
    if (a.profile) {
      report.profileKernelUs = { forward: await profileOps(net.graph, feeds, a.threads, a.iters), forwardBackward: await profileOps(backward.graph, feeds, a.threads, a.iters) };
    }
    rss.afterForwardBackward = peakRssMiB();
    const trainable = Object.fromEntries(net.params.map((p) => [p, undefined]));
    const ts = await TrainingSession.create({ runner, backward, trainable, optimizer: { kind: 'adamw', lr: 1e-3, weightDecay: 0.01 } });
    const trainStepMs = await medianMs(() => ts.step(feeds), a);
    await ts.dispose();
    rss.afterTrainStep = peakRssMiB();
    const ratio = round(forwardBackwardMs / forwardMs);
    Object.assign(report, { forwardMs, forwardBackwardMs, trainStepMs, ratio, target: 3, meetsTarget: ratio <= 3 });
  } catch (e) {
    Object.assign(report, { forwardMs, forwardBackwardMs: null, trainStepMs: null, ratio: null, error: e instanceof Error ? e.message : String(e) });
  }
  report.memory = { peakRssMiB: rss, ortArena: null, note: 'peak RSS is getrusage maxRSS (monotonic); onnxruntime-node exposes no arena statistics' };
  const torch = runTorch(cfg, a);
  const ort = report as { forwardBackwardMs: number | null; trainStepMs: number | null };
  report.torch = torch && {
    ...torch,
    forwardMs: round(torch.forwardMs),
    forwardBackwardMs: round(torch.forwardBackwardMs),
    trainStepMs: round(torch.trainStepMs),
    ortOverTorch: {
      forward: round(forwardMs / torch.forwardMs),
      forwardBackward: ort.forwardBackwardMs === null ? null : round(ort.forwardBackwardMs / torch.forwardBackwardMs),
      trainStep: ort.trainStepMs === null ? null : round(ort.trainStepMs / torch.trainStepMs),
    },
  };
  console.log(JSON.stringify(report, null, 2));
}

await main();
