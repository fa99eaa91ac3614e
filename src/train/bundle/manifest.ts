// bundle.json: the manifest of a self-contained training bundle — which graph files to load, which
// inputs are state fed back from which outputs, the data files per micro-batch, the lr schedule, and how the result
// maps back to a concept pack. Pure data + a schema check; never reads files. Runners: tools/bundle/run.{mjs,py}.
// Step semantics are those of src/train/engine TrainingSession (plans.ts: fused vs grads + update).
import { ModelAssetError } from '../../lib/errors';

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

function fail(what: string): never {
  throw new ModelAssetError(`${BUNDLE_JSON}: ${what}; re-export the bundle with \`npm run personalize -- … --bundle <dir>\``);
}

/**
 * Checks the parts of a manifest a runner or importer relies on.
 * @throws ModelAssetError naming the first bad field
 */
export function checkManifest(json: unknown): BundleManifest {
  const m = json as Partial<BundleManifest> | null;
  if (!m || m.format !== BUNDLE_FORMAT || m.version !== 1) fail(`format ${JSON.stringify(m?.format)} version ${m?.version} is not a version-1 ${BUNDLE_FORMAT}`);
  if (m.plan !== 'fused' && m.plan !== 'accumulate') fail(`plan ${JSON.stringify(m.plan)} must be "fused" or "accumulate"`);
  const needed = m.plan === 'fused' ? ['step'] : ['grads', 'update'];
  for (const g of needed) if (!m.graphs?.[g as keyof BundleManifest['graphs']]?.file) fail(`plan "${m.plan}" needs graphs.${g}.file`);
  if (!Array.isArray(m.params) || m.params.length === 0) fail('params must list at least one trainable name');
  for (const k of ['steps', 'accumulation', 'batchSize'] as const) if (!Number.isInteger(m[k]) || (m[k] as number) < 1) fail(`${k} must be an integer ≥ 1, got ${m[k]}`);
  if (m.data?.count !== (m.steps as number) * (m.accumulation as number)) fail(`data.count ${m.data?.count} ≠ steps × accumulation = ${(m.steps as number) * (m.accumulation as number)}`);
  if (!m.baseModel?.hash || !Array.isArray(m.concepts)) fail('baseModel.hash and concepts are required');
  return m as BundleManifest;
}
