// The memory planner: predicts the peak memory of ONE training step — persistent state (frozen
// weights, trainables, AdamW m/v, accumulators, data) plus the liveness peak of the step graph the engine runs —
// for the fused step and two modelled strategies, over a resolution ladder, and picks what fits a budget.
// Pure graph analysis (SD 1.5 with shapes-only weights, nothing allocated); never runs a session.
import { ACC_SLOT } from '../../onnx/index';
import type { ClipTextConfig, Graph, ParamSpec, UNet2DConditionConfig } from '../../onnx/index';
import { DISENDIFF_DEFAULTS } from '../config';
import type { TrainGraphOptions } from '../graphs/buildTrainGraph';
import { buildTrainGraph } from '../graphs/buildTrainGraph';
import { buildPlan } from '../engine/plans';
import { schedule, sweep, valueBytes } from './liveness';
import type { Schedule, SweepResult } from './liveness';
import { recomputedBuffers, unetBlockSegment, unetLayerSegment } from './segments';
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
  /** also choose strategies that are only modelled (recompute, per-block); default false */
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
 * Activation peak of each strategy. 'full' replays `run` (onnxruntime's own order, what executes today); the
 * modelled strategies re-time `planned` (the builder's forward-then-backward order), because recomputation or
 * a session per block means the engine, not ORT's reverse DFS, decides when each block's backward runs.
 */
export function strategyPeaks(run: Schedule, planned: Schedule = run): Record<StrategyKind, SweepResult> {
  const block = recomputedBuffers(planned, unetBlockSegment);
  const layer = recomputedBuffers(planned, unetLayerSegment);
  return { full: sweep(run), recompute: sweep(planned, block.buffers, block.scratch), 'per-block': sweep(planned, layer.buffers, layer.scratch) };
}

/** The three candidates of one step graph at one size. */
export function graphCandidates(src: GraphSource): Candidate[] {
  const trainable = new Set(src.trainable);
  const data = new Set(src.dataInputs ?? TRAIN_DATA_INPUTS);
  const foldable = src.foldsConstants === false ? undefined : (name: string) => kindOf(name, trainable, data) === 'frozenWeights';
  const bytes = valueBytes(src.graph);
  const run = schedule(src.graph, { foldable }, bytes);
  const base = persistentBreakdown(run, src.trainable, src.dataInputs ?? TRAIN_DATA_INPUTS);
  const peaks = strategyPeaks(run, schedule(src.graph, { foldable, order: 'graph' }, bytes));
  return (Object.keys(peaks) as StrategyKind[]).map((kind) => {
    const breakdown = { ...base, activations: peaks[kind].peakBytes };
    const predictedPeakBytes = totalBytes(breakdown);
    return { kind, resolution: src.resolution, batch: src.batch, predictedPeakBytes, breakdown, fits: false, isImplemented: kind === 'full', peakNode: peaks[kind].peakNode };
  });
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

/** Candidates of a model at one resolution and batch (builds the SD-style training graph, shapes only). */
export function modelCandidates(m: ModelSource, resolution: number, batch: number, accumulationSteps = 1): Candidate[] {
  if (!Number.isInteger(resolution / 64) || resolution <= 0) throw new RangeError(`training resolution must be a positive multiple of 64 px, got ${resolution}`);
  const latent = resolution / 8;
  const tg = buildTrainGraph({
    unet: m.unet, text: m.text, concepts: m.concepts ?? 2, batch, height: latent, width: latent, seqLen: m.seqLen,
    unetWeights: 'shapes-only', textWeights: 'shapes-only', config: m.config ?? DISENDIFF_DEFAULTS,
  });
  return graphCandidates({ graph: stepGraph(tg, accumulationSteps), trainable: tg.trainable, resolution, batch });
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
