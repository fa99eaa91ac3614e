// bundle.json: the manifest of a self-contained training bundle — which graph files to load, which
// inputs are state fed back from which outputs, the data files per micro-batch, the lr schedule, and how the result
// maps back to a concept pack. Pure data + a schema check; never reads files. Runners: tools/bundle/run.{mjs,py}.
// Step semantics are those of src/train/engine TrainingSession (plans.ts: fused vs grads + update).
import { ModelAssetError, showValue } from '../../lib/errors';
import { Fields, isObject } from '../../lib/schema';

export const BUNDLE_JSON = 'bundle.json';
export const BUNDLE_STATE = 'state.safetensors';
export const BUNDLE_RESULT = 'result.safetensors';
export const BUNDLE_LOSSES = 'losses.json';
export const BUNDLE_FORMAT = 'disenstudio-train-bundle';

/** Data file of micro-batch `index` (step s, micro m → index s·accumulation + m). */
export function batchFile(index: number): string {
  return `data/batch_${String(index).padStart(4, '0')}.safetensors`;
}

export type BundleTensorSpec = { name: string; dtype: 'float32' | 'int32'; shape: number[] };

/** One ONNX graph of the bundle: `state` maps a state input to the output that replaces it after a run. */
export type BundleGraph = { file: string; externalData?: string; inputs: string[]; outputs: string[]; state: Record<string, string> };

export type BundleManifest = {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  /** 'fused': run `step` once per step; 'accumulate': run `grads` once per micro-batch (acc fed back), then `update` */
  plan: 'fused' | 'accumulate';
  graphs: { step?: BundleGraph; grads?: BundleGraph; update?: BundleGraph };
  /** trainable parameter names (keys of state.safetensors and result.safetensors) */
  params: string[];
  /** optimizer slot prefixes ('m', 'v'): state.safetensors also holds `<slot>/<param>` (zeros) */
  slots: string[];
  /** accumulate plan: update input `grad/p` ← grads output for `acc/p` after the last micro-batch; acc starts at 0 */
  gradInputs?: Record<string, string>;
  /** scalar outputs read per run; a step is skipped (state kept, Adam t not advanced) when skipped ≠ 0 or gradNorm is not finite */
  outputs: { loss: string; gradNorm: string; skipped: string };
  /** scalar float32 inputs: lr (from lrSchedule) and step = 1-based count of APPLIED steps (Adam's t) */
  hyper: { lr: string; step: string };
  lrSchedule: { kind: 'constant'; value: number };
  optimizer: { kind: 'adamw'; weightDecay: number };
  steps: number;
  accumulation: number;
  batchSize: number;
  /** micro-batch files: `pattern` with %04d = step·accumulation + micro; every file holds `inputs` */
  data: { pattern: string; count: number; inputs: BundleTensorSpec[] };
  /** state.safetensors (params + zero moments, float32) */
  state: string;
  baseModel: { name: string; hash: string };
  concepts: { token: string; classWord: string }[];
  /** what a runner writes, and how importBundleResult turns it into a pack */
  result: { file: string; losses: string; toPack: string };
  settings: Record<string, string | number | boolean>;
};

const REEXPORT = 're-export the bundle with `npm run personalize -- … --bundle <dir>`';

/**
 * Checks every field a runner or importer relies on, each path with the one path rule (src/lib/paths.ts).
 * @param label the bundle folder, named in the errors
 * @throws ModelAssetError naming bundle.json and the first bad field; UnsafePathError for a path leaving the folder
 */
export function checkManifest(json: unknown, label = 'bundle'): BundleManifest {
  const file = `${label}/${BUNDLE_JSON}`;
  const f = new Fields(file, (message) => new ModelAssetError(`${message}; ${REEXPORT}`));
  const m = f.object(json, '(top level)');
  if (m.format !== BUNDLE_FORMAT || m.version !== 1) throw f.error('format', `must be ${BUNDLE_FORMAT} version 1 (version ${showValue(m.version)})`, m.format);
  const plan = f.oneOf(m.plan, 'plan', ['fused', 'accumulate'] as const);
  const graphs = f.object(m.graphs, 'graphs');
  for (const k of Object.keys(graphs)) f.oneOf(k, 'graphs', ['step', 'grads', 'update']);
  for (const k of plan === 'fused' ? ['step'] : ['grads', 'update']) {
    if (!isObject(graphs[k])) throw f.error(`graphs.${k}.file`, `is required by plan "${plan}"`, graphs[k]);
    const g = graphs[k] as Record<string, unknown>;
    f.path(g.file, `graphs.${k}.file`);
    if (g.externalData !== undefined) f.path(g.externalData, `graphs.${k}.externalData`);
    f.list(g.inputs, `graphs.${k}.inputs`, 1_000_000).forEach((v, i) => f.string(v, `graphs.${k}.inputs[${i}]`));
    f.list(g.outputs, `graphs.${k}.outputs`, 1_000_000).forEach((v, i) => f.string(v, `graphs.${k}.outputs[${i}]`));
    f.stringMap(g.state, `graphs.${k}.state`);
  }
  f.list(m.params, 'params', 100_000, 1).forEach((v, i) => f.string(v, `params[${i}]`));
  f.list(m.slots, 'slots', 8).forEach((v, i) => f.string(v, `slots[${i}]`, 16));
  if (plan === 'accumulate') f.stringMap(m.gradInputs, 'gradInputs');
  const outputs = f.object(m.outputs, 'outputs');
  for (const k of ['loss', 'gradNorm', 'skipped']) f.string(outputs[k], `outputs.${k}`);
  const hyper = f.object(m.hyper, 'hyper');
  for (const k of ['lr', 'step']) f.string(hyper[k], `hyper.${k}`);
  const lr = f.object(m.lrSchedule, 'lrSchedule');
  f.oneOf(lr.kind, 'lrSchedule.kind', ['constant']);
  f.number(lr.value, 'lrSchedule.value', 0, 1);
  const steps = f.int(m.steps, 'steps', 1, 1_000_000);
  const accumulation = f.int(m.accumulation, 'accumulation', 1, 1024);
  f.int(m.batchSize, 'batchSize', 1, 1024);
  const data = f.object(m.data, 'data');
  const pattern = f.string(data.pattern, 'data.pattern', 200);
  if (!pattern.includes('%04d')) throw f.error('data.pattern', 'must hold %04d', pattern);
  f.path(pattern.replace('%04d', '0000'), 'data.pattern');
  if (data.count !== steps * accumulation) throw f.error('data.count', `must be steps × accumulation = ${steps * accumulation}`, data.count);
  f.list(data.inputs, 'data.inputs', 10_000);
  f.path(m.state, 'state');
  const base = f.object(m.baseModel, 'baseModel');
  f.string(base.name, 'baseModel.name');
  f.string(base.hash, 'baseModel.hash', 128);
  if (base.hash === '') throw f.error('baseModel.hash', 'must not be empty', base.hash);
  f.list(m.concepts, 'concepts', 64, 1).forEach((c, i) => {
    const o = f.object(c, `concepts[${i}]`);
    f.string(o.token, `concepts[${i}].token`, 64);
    f.string(o.classWord, `concepts[${i}].classWord`, 64);
  });
  const result = f.object(m.result, 'result');
  f.path(result.file, 'result.file');
  f.path(result.losses, 'result.losses');
  if (m.settings !== undefined) f.object(m.settings, 'settings');
  return m as BundleManifest;
}
