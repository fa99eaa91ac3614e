// exportBundle: a prepared personalization job (src/train/loop/job.ts) as files any ONNX Runtime can step — the
// engine's own graphs (src/train/engine/plans.ts: ONE fused train_step.onnx when accumulation = 1, else
// grad_step.onnx + update_step.onnx), state.safetensors (initial params + zero moments), one data file per
// micro-batch exactly as the loop would draw them (batchIndex = step, no rollbacks), and bundle.json.
// Never runs a graph; writes through a FileSink. Graphs above MAX_INLINE_BYTES of weights (onnx/proto/externalize.ts)
// get an external data file.
import { ConfigError } from '../../lib/errors';
import { writeSafetensors } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import { encodeForSession, gradName, MAX_INLINE_BYTES, modelOf, slotName, ACC_SLOT } from '../../onnx/index';
import type { HostTensor } from '../../runtime/index';
import { buildPlan } from '../engine/plans';
import type { Phase } from '../engine/plans';
import { prepareTrainables, zerosLike } from '../engine/trainables';
import type { OptimizerSettings } from '../engine/types';
import type { PersonalizeJob } from '../loop/job';
import type { FileSink } from '../pack/types';
import { BUNDLE_FORMAT, BUNDLE_JSON, BUNDLE_LOSSES, BUNDLE_RESULT, BUNDLE_STATE, batchFile } from './manifest';
import type { BundleGraph, BundleManifest, BundleTensorSpec } from './manifest';

export type ExportBundleInfo = {
  baseModel: { name: string; hash: string };
  /** recorded in bundle.json settings (seed, resolution, …) */
  settings?: Record<string, string | number | boolean>;
  /** weights above this many bytes go to `<graph>.onnx.data` (default MAX_INLINE_BYTES, onnx/proto/externalize.ts) */
  externalAbove?: number;
};

/** What was written: path → bytes. */
export type BundleSummary = { files: Record<string, number>; totalBytes: number; dataBytes: number };


/** The optimizer TrainingSession gets from job.createStepper (keep in step with src/train/loop/job.ts). */
function optimizerOf(job: PersonalizeJob): OptimizerSettings & { kind: 'adamw' } {
  return { kind: 'adamw', lr: job.config.learningRate, weightDecay: job.config.weightDecay };
}

/** Encodes a phase as `file` (+ `file.data` when its weights exceed `above` bytes). */
async function writeGraph(sink: FileSink, phase: Phase, file: string, above: number, sizes: Record<string, number>): Promise<BundleGraph> {
  const encoded = encodeForSession(modelOf(phase.graph, { docString: `bundle phase ${phase.name}` }), above, `${file}.data`);
  let externalData: string | undefined;
  for (const [path, bytes] of Object.entries(encoded.externalData ?? {})) {
    await sink.write(path, bytes);
    sizes[path] = bytes.byteLength;
    externalData = path;
  }
  const bytes = encoded.bytes;
  await sink.write(file, bytes);
  sizes[file] = bytes.byteLength;
  const inputs = phase.graph.inputs.map((v) => v.name);
  const outputs = phase.graph.outputs.map((v) => v.name);
  return { file, ...(externalData ? { externalData } : {}), inputs, outputs, state: phase.state };
}

function toSafe(name: string, t: HostTensor): SafeTensor {
  if (t.dtype === 'float32' && t.data instanceof Float32Array) return { dtype: 'F32', shape: [...t.dims], data: t.data };
  if (t.dtype === 'int32' && t.data instanceof Int32Array) return { dtype: 'I32', shape: [...t.dims], data: t.data };
  throw new ConfigError(`exportBundle: feed "${name}" is ${t.dtype}; bundles carry float32 and int32 tensors only`);
}

/** (1) every micro-batch feed in loop order → data/batch_XXXX.safetensors; returns the input specs and bytes. */
async function writeData(job: PersonalizeJob, sink: FileSink, sizes: Record<string, number>): Promise<{ specs: BundleTensorSpec[]; bytes: number }> {
  const acc = job.config.gradAccumulation;
  let specs: BundleTensorSpec[] = [];
  let bytes = 0;
  for (let s = 0; s < job.steps; s++) {
    for (let m = 0; m < acc; m++) {
      const feeds = await job.batches(s, m);
      const tensors = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, toSafe(k, t)]));
      if (specs.length === 0) specs = Object.entries(feeds).map(([name, t]) => ({ name, dtype: t.dtype as 'float32' | 'int32', shape: [...t.dims] }));
      const file = writeSafetensors(tensors, { step: String(s), micro: String(m) });
      await sink.write(batchFile(s * acc + m), file);
      sizes[batchFile(s * acc + m)] = file.byteLength;
      bytes += file.byteLength;
    }
  }
  return { specs, bytes };
}

/**
 * Writes the bundle of `job` into `sink` (see header). The runner scripts are added by tools/bundle/exportToFolder.ts.
 * @throws ConfigError for feeds of another dtype than float32/int32; GraphError from the plan builders
 */
export async function exportBundle(job: PersonalizeJob, sink: FileSink, info: ExportBundleInfo): Promise<BundleSummary> {
  const sizes: Record<string, number> = {};
  const accumulation = job.config.gradAccumulation;
  const optimizer = optimizerOf(job);
  const prepared = prepareTrainables(job.graph.backward, job.initialParams);
  const plan = buildPlan('bundle', prepared.backward, prepared.params, optimizer, accumulation);
  const above = info.externalAbove ?? MAX_INLINE_BYTES;
  const graphs: BundleManifest['graphs'] = plan.kind === 'fused'
    ? { step: await writeGraph(sink, plan.step, 'train_step.onnx', above, sizes) }
    : { grads: await writeGraph(sink, plan.grads, 'grad_step.onnx', above, sizes), update: await writeGraph(sink, plan.update, 'update_step.onnx', above, sizes) };
  const params = prepared.params.map((p) => p.name);
  // 2. initial state: params + zero optimizer slots (the engine's TrainingSession.create)
  const state: Record<string, SafeTensor> = {};
  for (const p of prepared.params) {
    state[p.name] = toSafe(p.name, prepared.initial[p.name] as HostTensor);
    for (const s of plan.slots) state[slotName(s, p.name)] = toSafe(p.name, zerosLike(p.shape));
  }
  const stateBytes = writeSafetensors(state, { format: BUNDLE_FORMAT });
  await sink.write(BUNDLE_STATE, stateBytes);
  sizes[BUNDLE_STATE] = stateBytes.byteLength;
  const data = await writeData(job, sink, sizes);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT, version: 1, plan: plan.kind, graphs, params, slots: plan.slots,
    ...(plan.kind === 'accumulate' ? { gradInputs: Object.fromEntries(params.map((p) => [gradName(p), slotName(ACC_SLOT, p)])) } : {}),
    outputs: { loss: prepared.backward.loss, gradNorm: 'gradNorm', skipped: 'skipped' },
    hyper: { lr: 'lr', step: 'step' },
    lrSchedule: { kind: 'constant', value: job.config.learningRate },
    optimizer: { kind: 'adamw', weightDecay: job.config.weightDecay },
    steps: job.steps, accumulation, batchSize: job.config.batchSize,
    data: { pattern: 'data/batch_%04d.safetensors', count: job.steps * accumulation, inputs: data.specs },
    state: BUNDLE_STATE, baseModel: info.baseModel,
    concepts: job.concepts.map((c) => ({ token: c.token, classWord: c.classWord })),
    result: { file: BUNDLE_RESULT, losses: BUNDLE_LOSSES, toPack: `${BUNDLE_RESULT} holds the trained params by name; importBundleResult subtracts the base UNet (hash ${info.baseModel.hash}) from each K/V weight and takes "extra_token_embeds" row i as concept i's embedding (packFromParams)` },
    settings: { learningRate: job.config.learningRate, batchSize: job.config.batchSize, gradAccumulation: accumulation, resolution: job.resolution, ...info.settings },
  };
  const json = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
  await sink.write(BUNDLE_JSON, json);
  sizes[BUNDLE_JSON] = json.byteLength;
  const totalBytes = Object.values(sizes).reduce((a, b) => a + b, 0);
  return { files: sizes, totalBytes, dataBytes: data.bytes };
}
