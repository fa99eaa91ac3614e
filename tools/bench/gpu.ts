// `npm run bench:gpu -- [--ep webgpu|cpu] [--size 512] [--what generate,train] [--iters 5] [--fp16] [--config sd15|tiny]
//   [--batch 1] [--accumulate 1] [--gpu-buffers]` (training micro-batch, micro-batches per optimizer step, GPU-resident state)
// Stable Diffusion 1.5 ARCHITECTURE at full width (UNet 859,520,964 params) with seeded pseudo-random weights
// (no real weights can be downloaded here; kernels do not care about values): seconds per denoising step
// (UNet batch 2 = classifier-free guidance), text encoder and VAE decode at --size px, and seconds per
// DisenDiff personalization step (2 concepts, batch 1, AdamW, the same graph as the studio trains). Peak GPU
// memory is read by the caller (nvidia-smi; tools/bench/gpu.sh). Prints ONE JSON object on stdout.
// Run on a GPU machine: see tools/bench/gpu.sh (onnxruntime-node's WebGPU EP on Vulkan).
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { buildClipText, buildUnet, buildVaeDecoder, encodeForSession, SD15_CLIP_TEXT, SD15_UNET, SD15_VAE, TINY_CLIP_TEXT, TINY_UNET, TINY_VAE } from '../../src/onnx/index';
import type { Model, WeightSource } from '../../src/onnx/index';
import { createNodeRunner } from '../../src/runtime/node';
import type { HostTensor, Runner, Session } from '../../src/runtime/types';
import { TrainingSession } from '../../src/train/engine/trainStep';
import { buildTrainGraph, DISENDIFF_DEFAULTS } from '../../src/train/index';
import { median } from './stats';

/** Uniform(±√(3/fan_in)) from a xorshift stream (std 1/√fan_in, as RandomWeights but ~50× faster); norm weights 1. */
/** --config tiny swaps in the TINY_* configs (a seconds-long check of this script's code paths on a CPU). */
let CFG = { unet: SD15_UNET, text: SD15_CLIP_TEXT, vae: SD15_VAE };

class FastWeights implements WeightSource {
  private s = 0x9e3779b9;
  get(name: string, shape: readonly number[]): Float32Array {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    if (shape.length === 1) return out.fill(/norm[^.]*\.weight$/.test(name) ? 1 : 0);
    const a = Math.sqrt(3 / (n / (shape[0] as number)));
    for (let i = 0; i < n; i++) {
      this.s ^= this.s << 13;
      this.s ^= this.s >>> 17;
      this.s ^= this.s << 5;
      out[i] = ((this.s >>> 0) / 4294967296 - 0.5) * 2 * a;
    }
    return out;
  }
}

const now = (): number => performance.now() / 1000;

async function open(runner: Runner, name: string, model: Model): Promise<Session> {
  const { bytes, externalData } = encodeForSession(model, 0, `${name}.onnx.data`);
  return runner.createSession(name, bytes, { ...(externalData ? { externalData } : {}), disableCpuFallback: runner.backend.ep === 'webgpu' });
}

/** Feeds for every graph input: ids 1..n for integer inputs, N(0,1)-ish floats, 500 for timesteps. */
function feedsFor(model: Model): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const v of model.graph.inputs) {
    const dims = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    if (v.dtype === 'int32' || v.dtype === 'int64') {
      const data = v.dtype === 'int32' ? Int32Array.from({ length: n }, (_, i) => (i % 77) + 1) : BigInt64Array.from({ length: n }, (_, i) => BigInt((i % 77) + 1));
      out[v.name] = { dtype: v.dtype, dims, data } as HostTensor;
    } else out[v.name] = { dtype: 'float32', dims, data: Float32Array.from({ length: n }, (_, i) => (v.name.includes('timestep') ? 500 : Math.sin(i * 0.37))) };
  }
  return out;
}

async function timeRuns(session: Session, feeds: Record<string, HostTensor>, iters: number): Promise<{ firstRun: number; median: number; runs: number[] }> {
  let t = now();
  await session.run(feeds);
  const firstRun = now() - t;
  const runs: number[] = [];
  for (let i = 0; i < iters; i++) {
    t = now();
    await session.run(feeds);
    runs.push(now() - t);
  }
  return { firstRun, median: median(runs), runs };
}

type Fp16 = (m: Model) => Model;

async function benchGenerate(runner: Runner, latent: number, iters: number, toF16?: Fp16): Promise<Record<string, unknown>> {
  const w = new FastWeights();
  const res: Record<string, unknown> = {};
  const parts: [string, () => Model][] = [
    ['text_encoder', () => buildClipText(CFG.text, { batch: 2, seqLen: Math.min(77, CFG.text.max_position_embeddings), weights: w }).model],
    ['unet', () => buildUnet(CFG.unet, { batch: 2, height: latent, width: latent, seqLen: Math.min(77, CFG.text.max_position_embeddings), weights: w }).model],
    ['vae_decoder', () => buildVaeDecoder(CFG.vae, { batch: 1, height: latent, width: latent, weights: w }).model],
  ];
  for (const [name, build] of parts) {
    let t = now();
    let model = build();
    if (toF16) model = toF16(model);
    const buildSeconds = now() - t;
    t = now();
    const session = await open(runner, name, model);
    const sessionSeconds = now() - t;
    const timing = await timeRuns(session, feedsFor(model), iters);
    await session.dispose();
    res[name] = { buildSeconds, sessionSeconds, ...timing };
    process.stderr.write(`${name}${toF16 ? ' fp16' : ''}: ${timing.median.toFixed(4)} s/run\n`);
  }
  return res;
}

/** One optimizer step = `accumulate` micro-batches of `batch` (DisenDiff as released: 4 × 2 = effective 8). */
async function benchTrain(runner: Runner, latent: number, iters: number, batch = 1, accumulate = 1): Promise<Record<string, unknown>> {
  const w = new FastWeights();
  let t = now();
  const tg = buildTrainGraph({ unet: CFG.unet, text: CFG.text, concepts: 2, batch, height: latent, width: latent, unetWeights: w, textWeights: w, config: DISENDIFF_DEFAULTS });
  const buildSeconds = now() - t;
  const initial = (dims: number[], name: string): HostTensor => ({ dtype: 'float32', dims, data: w.get(name, dims) });
  t = now();
  const session = await TrainingSession.create({
    runner, backward: tg.backward, trainable: Object.fromEntries(tg.trainable.map((n) => [n, initial(tg.backward.graph.inputs.find((v) => v.name === n)?.shape as number[], n)])),
    optimizer: { kind: 'adamw', lr: () => 8e-5, weightDecay: 0.01, maxGradNorm: 1 }, accumulationSteps: accumulate, name: 'sd15_train',
  });
  const sessionSeconds = now() - t;
  const all = feedsFor({ graph: tg.backward.graph } as Model);
  const feeds = Object.fromEntries(tg.dataInputs.map((n) => [n, all[n] as HostTensor]));
  const sel = feeds.select;
  if (sel) {
    const [b, s, k] = sel.dims as [number, number, number];
    const d = new Float32Array(b * s * k);
    for (let bi = 0; bi < b; bi++) for (let j = 0; j < k; j++) d[(bi * s + 1 + j) * k + j] = 1;
    feeds.select = { dtype: 'float32', dims: sel.dims, data: d };
  }
  for (const n of ['present', 'mask', 'concept_masks']) {
    const f = feeds[n];
    if (f) feeds[n] = { dtype: 'float32', dims: f.dims, data: new Float32Array((f.data as Float32Array).length).fill(1) };
  }
  const steps: number[] = [];
  let loss = NaN;
  for (let i = 0; i <= iters; i++) {
    t = now();
    const r = await session.step(...Array.from({ length: accumulate }, () => feeds));
    steps.push(now() - t);
    loss = r.loss;
    process.stderr.write(`train step ${i}: ${(now() - t).toFixed(3)} s loss ${r.loss}\n`);
  }
  await session.dispose();
  const kv = tg.trainable.length - 1;
  return { buildSeconds, sessionSeconds, firstStep: steps[0], secondsPerStep: median(steps.slice(1)), steps, lastLoss: loss, trainables: `extra_token_embeds + ${kv} K/V`, microBatch: batch, accumulate, concepts: 2 };
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({ options: { ep: { type: 'string', default: 'webgpu' }, size: { type: 'string', default: '512' }, what: { type: 'string', default: 'generate,train' }, iters: { type: 'string', default: '5' }, fp16: { type: 'boolean', default: false }, config: { type: 'string', default: 'sd15' }, batch: { type: 'string', default: '1' }, accumulate: { type: 'string', default: '1' }, 'gpu-buffers': { type: 'boolean', default: false } } });
  if (a.config === 'tiny') CFG = { unet: TINY_UNET, text: TINY_CLIP_TEXT, vae: TINY_VAE };
  if (a.ep !== 'webgpu' && a.ep !== 'cpu') throw new Error(`--ep must be webgpu or cpu, got "${a.ep}"`);
  const size = Number(a.size);
  if (!Number.isInteger(size) || size % 64 !== 0) throw new Error(`--size must be a multiple of 64, got "${a.size}"`);
  const runner = createNodeRunner({ ep: a.ep, threads: 0, gpuBufferOutputs: a['gpu-buffers'] });
  const what = a.what.split(',');
  const iters = Number(a.iters);
  const result: Record<string, unknown> = { bench: 'gpu', gpuBufferOutputs: a['gpu-buffers'], model: `${a.config === 'tiny' ? 'TINY_*' : 'SD 1.5'} architecture, pseudo-random weights`, size, ep: a.ep, machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version } };
  const safely = async (key: string, f: () => Promise<Record<string, unknown>>): Promise<void> => {
    try {
      result[key] = await f();
    } catch (e) {
      result[key] = { error: e instanceof Error ? e.message.slice(0, 2000) : String(e) };
    }
    process.stderr.write(`${key}: ${JSON.stringify(result[key])}\n`);
  };
  if (what.includes('generate')) await safely('generateFp32', () => benchGenerate(runner, size / 8, iters));
  if (what.includes('train')) await safely('personalizeStep', () => benchTrain(runner, size / 8, Math.max(2, Math.floor(iters / 2)), Number(a.batch), Number(a.accumulate)));
  if (what.includes('generate') && a.fp16) {
    const mod = (await import('../../src/onnx/index')) as unknown as { toFloat16?: Fp16 };
    const f = mod.toFloat16;
    if (f) await safely('generateFp16', () => benchGenerate(runner, size / 8, iters, (m) => f(m)));
    else result.generateFp16 = { error: 'toFloat16 is not exported by src/onnx yet' };
  }
  console.log(JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  console.error(`bench:gpu: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
