// The memory planner: predicts the peak memory of ONE training step — persistent state (frozen
// weights, trainables, AdamW m/v, accumulators, data) plus the liveness peak of the step graph the engine runs —
// for the fused step, the step rebuilt with activation recomputation per UNet layer (the autodiff rewrite,
// src/onnx/autodiff/recompute.ts) and one modelled strategy, over a resolution ladder, and picks what fits a budget.
// Pure graph analysis (SD 1.5 with shapes-only weights, nothing allocated); never runs a session.
import { ACC_SLOT } from '../../onnx/index';
import type { ClipTextConfig, Graph, ParamSpec, UNet2DConditionConfig } from '../../onnx/index';
import { DISENDIFF_DEFAULTS } from '../config';
import type { TrainGraphOptions } from '../graphs/buildTrainGraph';
import { buildTrainGraph } from '../graphs/buildTrainGraph';
import { buildPlan } from '../engine/plans';
import { schedule, sweep, valueBytes } from './liveness';
import type { Schedule, SweepResult } from './liveness';
import { recomputedBuffers, unetLayerSegment } from './segments';
import { choosePlan, totalBytes } from './strategy';
import { DEFAULT_BUDGET_BYTES, RESOLUTION_LADDER } from './types';
import type { Candidate, MemoryBreakdown, MemoryPlan, StrategyKind } from './types';

/** Data feeds of the DisenDiff training graph (TrainGraph docs) plus the optimizer's hyper-parameters. */
export const TRAIN_DATA_INPUTS: readonly string[] = ['latents', 'noise', 'timestep', 'input_ids', 'select', 'present', 'mask', 'concept_masks', 'lr', 'step'];

/** A model to plan for: the training graph is built at each resolution with shapes-only weights. */
export type ModelSource = {
  unet: UNet2DConditionConfig;
  text: ClipTextConfig;
  /** concepts n (default 2) */
  concepts?: number;
  /** tokens per prompt (default text.max_position_embeddings) */
  seqLen?: number;
  config?: TrainGraphOptions['config'];
};

/** An already built step graph (e.g. stepGraph()'s result); its size is fixed, so no resolution ladder. */
export type GraphSource = {
  graph: Graph;
  trainable: readonly string[];
  dataInputs?: readonly string[];
  resolution: number;
  batch: number;
  /** ORT folds ops on frozen weights at session creation (graph optimizations on, as the engine runs); default true */
  foldsConstants?: boolean;
  /**
   * The same step built with `recompute: 'layers'` (buildTrainGraph, then stepGraph): the 'recompute' candidate
   * replays it as 'full' replays `graph`. Without it there is no 'recompute' candidate.
   */
  recomputeGraph?: Graph;
};

export type PlanOptions = {
  /** requested training resolution in px (default 512; model sources only) */
  resolution?: number;
  /** micro-batch (default 1; model sources only) */
  batch?: number;
  /** default DEFAULT_BUDGET_BYTES (8 GiB) */
  budgetBytes?: number;
  /** gradient accumulation steps (default 1: the fused step; > 1 adds accumulators) */
  accumulationSteps?: number;
  /** also choose strategies that are only modelled (per-block sessions); default false */
  allowModelled?: boolean;
};

function kindOf(name: string, trainable: Set<string>, data: Set<string>): keyof MemoryBreakdown {
  if (trainable.has(name)) return 'trainable';
  if (data.has(name)) return 'data';
  const slash = name.indexOf('/');
  const prefix = slash > 0 ? name.slice(0, slash) : '';
  if (prefix === ACC_SLOT && trainable.has(name.slice(slash + 1))) return 'gradientAccumulators';
  if (prefix && trainable.has(name.slice(slash + 1))) return 'optimizerState';
  return 'frozenWeights';
}

/** Persistent bytes by kind (graph inputs and initializers of the step graph). */
export function persistentBreakdown(s: Schedule, trainable: readonly string[], dataInputs: readonly string[]): MemoryBreakdown {
  const b: MemoryBreakdown = { frozenWeights: 0, trainable: 0, optimizerState: 0, gradientAccumulators: 0, data: 0, activations: 0 };
  const t = new Set(trainable);
  const d = new Set(dataInputs);
  for (const name of s.persistent) b[kindOf(name, t, d)] += s.bytes.get(name) ?? 0;
  return b;
}

/**
 * Kernel workspace of each step of `s` (bytes a kernel allocates for itself while it runs, beyond its outputs).
 * Modelled: onnxruntime's CPU Where (core/providers/cpu/tensor/where_op.cc, Where<T>::Compute) broadcasts
 * `cond ? X : 0` and `!cond ? Y : 0` into two temporaries of the output's size before merging them.
 */
export function kernelScratch(s: Schedule): Float64Array {
  const scratch = new Float64Array(s.order.length + 1);
  s.order.forEach((n, step) => {
    if (n.opType === 'Where' && n.outputs[0]) scratch[step] = 2 * (s.bytes.get(n.outputs[0]) ?? 0);
  });
  return scratch;
}

/**
 * Activation peaks of a step graph: 'full' replays `run` (onnxruntime's own order, what executes) with kernel
 * workspaces; 'per-block' (MODELLED: one session per UNet layer) re-times `planned` (the builder's
 * forward-then-backward order) with each layer's forward recomputed in its backward, because with one session
 * per layer the engine, not ORT's reverse DFS, decides when each layer's backward runs.
 */
export function strategyPeaks(run: Schedule, planned: Schedule = run): { full: SweepResult; 'per-block': SweepResult } {
  const layer = recomputedBuffers(planned, unetLayerSegment);
  return { full: sweep(run, run.buffers, kernelScratch(run)), 'per-block': sweep(planned, layer.buffers, layer.scratch) };
}

/**
 * The candidates of one step graph at one size: 'full' (the graph), 'recompute' (the `recomputeGraph` replayed
 * the same way; implemented: the engine runs it with `recompute: 'layers'`) and 'per-block' (modelled only).
 */
export function graphCandidates(src: GraphSource): Candidate[] {
  const trainable = new Set(src.trainable);
  const data = new Set(src.dataInputs ?? TRAIN_DATA_INPUTS);
  const foldable = src.foldsConstants === false ? undefined : (name: string) => kindOf(name, trainable, data) === 'frozenWeights';
  const bytes = valueBytes(src.graph);
  const run = schedule(src.graph, { foldable }, bytes);
  const base = persistentBreakdown(run, src.trainable, src.dataInputs ?? TRAIN_DATA_INPUTS);
  // the modelled re-timing needs one value per buffer: no reuse of freed buffers in the planned schedule
  const peaks = strategyPeaks(run, schedule(src.graph, { foldable, order: 'graph', reuseFreed: false }, bytes));
  const candidate = (kind: StrategyKind, peak: SweepResult): Candidate => {
    const breakdown = { ...base, activations: peak.peakBytes };
    return { kind, resolution: src.resolution, batch: src.batch, predictedPeakBytes: totalBytes(breakdown), breakdown, fits: false, isImplemented: kind !== 'per-block', peakNode: peak.peakNode };
  };
  const out = [candidate('full', peaks.full)];
  if (src.recomputeGraph) {
    const rs = schedule(src.recomputeGraph, { foldable });
    out.push(candidate('recompute', sweep(rs, rs.buffers, kernelScratch(rs))));
  }
  out.push(candidate('per-block', peaks['per-block']));
  return out;
}

/**
 * The graph the engine runs for one micro-batch (engine/plans.ts): backward ∘ AdamW when accumulationSteps = 1,
 * backward ∘ (acc ← acc + g) otherwise. Trainables must already be graph inputs (shapes-only models are).
 */
export function stepGraph(tg: { backward: { graph: Graph; loss: string; grads: Record<string, string> }; trainable: readonly string[] }, accumulationSteps = 1): Graph {
  const params: ParamSpec[] = tg.trainable.map((name) => {
    const v = tg.backward.graph.inputs.find((i) => i.name === name);
    if (!v?.shape || v.shape.some((d) => typeof d !== 'number')) throw new RangeError(`stepGraph: trainable "${name}" must be a graph input with static dims (build with shapes-only weights or lift it first)`);
    return { name, shape: v.shape as number[] };
  });
  const plan = buildPlan('plan', tg.backward, params, { kind: 'adamw', lr: 8e-5, weightDecay: 0.01 }, accumulationSteps);
  return plan.kind === 'fused' ? plan.step.graph : plan.grads.graph;
}

/**
 * Candidates of a model at one resolution and batch: builds the SD-style training graph twice (shapes only),
 * as is and with `recompute: 'layers'`.
 */
export function modelCandidates(m: ModelSource, resolution: number, batch: number, accumulationSteps = 1): Candidate[] {
  if (!Number.isInteger(resolution / 64) || resolution <= 0) throw new RangeError(`training resolution must be a positive multiple of 64 px, got ${resolution}`);
  const latent = resolution / 8;
  const build = (recompute?: 'layers') => buildTrainGraph({
    unet: m.unet, text: m.text, concepts: m.concepts ?? 2, batch, height: latent, width: latent, seqLen: m.seqLen,
    unetWeights: 'shapes-only', textWeights: 'shapes-only', config: m.config ?? DISENDIFF_DEFAULTS, recompute,
  });
  const tg = build();
  const graph = stepGraph(tg, accumulationSteps);
  const recomputeGraph = stepGraph(build('layers'), accumulationSteps);
  return graphCandidates({ graph, recomputeGraph, trainable: tg.trainable, resolution, batch });
}

function isGraphSource(s: ModelSource | GraphSource): s is GraphSource {
  return 'graph' in s;
}

/**
 * Predicts the peak memory of one training step and picks a strategy that fits the budget.
 * @param source a model config (planned at the requested resolution, then down the ladder until something fits)
 *   or a built step graph (planned as is)
 * @throws RangeError for a resolution that is not a positive multiple of 64 or a bad budget
 * @example planMemory({ unet: SD15_UNET, text: SD15_CLIP_TEXT }, { resolution: 512, batch: 1 }).explanation
 */
export function planMemory(source: ModelSource | GraphSource, options: PlanOptions = {}): MemoryPlan {
  const budget = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  if (isGraphSource(source)) return choosePlan(graphCandidates(source), budget, options.allowModelled);
  const resolution = options.resolution ?? 512;
  const batch = options.batch ?? 1;
  const ladder = [resolution, ...RESOLUTION_LADDER.filter((r) => r < resolution)];
  const candidates: Candidate[] = [];
  for (const r of ladder) {
    const cs = modelCandidates(source, r, batch, options.accumulationSteps);
    candidates.push(...cs);
    if (cs.some((c) => c.predictedPeakBytes <= budget && (options.allowModelled || c.isImplemented))) break;
  }
  return choosePlan(candidates, budget, options.allowModelled);
}
