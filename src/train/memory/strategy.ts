// Chooses how to run a training step within a memory budget, from evaluated candidates, and says why in plain
// words. Preference: keep the requested resolution (full, then recompute, then per-block sessions), then step
// down the resolution ladder. Pure: numbers in, plan out (profile.ts and planMemory.ts feed it).
// 'recompute' is the graph built with recomputation (planMemory.ts); 'per-block' is modelled in segments.ts.
import type { RecomputeGranularity } from '../graphs/buildTrainGraph';
import type { Candidate, MemoryBreakdown, MemoryPlan, StrategyKind } from './types';

const ORDER: readonly StrategyKind[] = ['full', 'recompute', 'per-block'];

/** Sum of a breakdown: the predicted peak of a step. */
export function totalBytes(b: MemoryBreakdown): number {
  return b.frozenWeights + b.trainable + b.optimizerState + b.gradientAccumulators + b.data + b.activations;
}

/** Human-readable size: "5.89 GiB", "12.3 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(2)} ${units[u]}`;
}

/** Candidates in preference order: higher resolution first, then full → recompute → per-block. */
export function sortCandidates(cs: readonly Candidate[]): Candidate[] {
  return [...cs].sort((a, b) => b.resolution - a.resolution || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

function describe(c: Candidate): string {
  const how = c.kind === 'full' ? 'the fused training step' : c.kind === 'recompute' ? 'activation recomputation per UNet layer' : 'one session per UNet layer (activations passed as GPU buffers)';
  return `${how} at ${c.resolution} px, batch ${c.batch}: ${formatBytes(c.predictedPeakBytes)}`;
}

function explain(chosen: Candidate, first: Candidate, budget: number, modelled: Candidate | undefined): string {
  const parts: string[] = [];
  if (chosen === first && chosen.fits) parts.push(`Fits: ${describe(chosen)} of ${formatBytes(budget)}.`);
  else if (chosen.fits) parts.push(`${describe(first)} does not fit ${formatBytes(budget)}; chosen: ${describe(chosen)}.`);
  else parts.push(`Nothing tried fits ${formatBytes(budget)}; the smallest is ${describe(chosen)}.`);
  if (!chosen.isImplemented) parts.push(`This strategy is only modelled: the engine does not implement it yet, so training today needs the budget of the fused step (${formatBytes(first.predictedPeakBytes)} at ${first.resolution} px).`);
  else if (modelled) parts.push(`Modelled but not implemented yet: ${describe(modelled)} would fit.`);
  if (chosen.resolution < first.resolution) parts.push(`Lower resolution trains on ${chosen.resolution / 8}×${chosen.resolution / 8} latents: smaller attention maps and some loss of detail.`);
  return parts.join(' ');
}

/**
 * Picks the first candidate that fits `budgetBytes` in preference order, else the smallest. Only candidates the
 * engine implements are chosen unless `allowModelled` (a fitting modelled one is then named in the explanation).
 * @throws RangeError when `candidates` is empty or the budget is not a positive number
 */
export function choosePlan(candidates: readonly Candidate[], budgetBytes: number, allowModelled = false): MemoryPlan {
  if (!(budgetBytes > 0)) throw new RangeError(`memory budget must be a positive number of bytes, got ${budgetBytes}`);
  if (!candidates.length) throw new RangeError('choosePlan: no candidates to choose from; evaluate at least the requested resolution');
  const sorted = sortCandidates(candidates).map((c) => ({ ...c, fits: c.predictedPeakBytes <= budgetBytes }));
  const first = sorted[0] as Candidate;
  const usable = sorted.filter((c) => allowModelled || c.isImplemented);
  const pool = usable.length ? usable : sorted;
  const smallest = pool.reduce((a, c) => (c.predictedPeakBytes < a.predictedPeakBytes ? c : a), pool[0] as Candidate);
  const chosen = pool.find((c) => c.fits) ?? smallest;
  const modelled = sorted.find((c) => c.fits && !c.isImplemented && sorted.indexOf(c) < sorted.indexOf(chosen));
  return {
    predictedPeakBytes: chosen.predictedPeakBytes,
    breakdown: chosen.breakdown,
    strategy: chosen,
    fits: chosen.fits,
    budgetBytes,
    candidates: sorted,
    explanation: explain(chosen, first, budgetBytes, modelled),
  };
}

/**
 * The recomputation a job training at the plan's requested resolution should run: 'layers' when the plan chose
 * recomputation, or when the fused step at that resolution does not fit (a job keeps its resolution, and
 * recomputation never needs more), else none. Undefined also when the plan has no recompute candidate.
 */
export function planRecompute(plan: MemoryPlan): RecomputeGranularity | undefined {
  const first = plan.candidates[0];
  const hasRecompute = plan.candidates.some((c) => c.kind === 'recompute' && c.resolution === first?.resolution);
  if (!first || !hasRecompute) return undefined;
  return plan.strategy.kind === 'recompute' || !first.fits ? 'layers' : undefined;
}

/** What a training job runs from a memory plan: its recomputation and the resolution it trains at. */
export type RunPlan = {
  recompute: RecomputeGranularity | undefined;
  /** the resolution to train at: the requested one, or a lower one of the ladder when only that fits */
  resolution: number;
  /** true when the plan lowered the resolution below the requested one to fit the budget */
  isLowered: boolean;
  /** false when nothing the engine implements fits: the job then keeps the requested resolution and may run out */
  fits: boolean;
};

/**
 * The run a job should make from `plan`: the chosen candidate when it fits and the engine implements it (its
 * resolution, and 'layers' for recomputation), so a job steps down the resolution ladder rather than run out of
 * memory; when nothing implemented fits, the requested resolution with planRecompute's choice (the smallest there).
 * @throws RangeError for a plan without candidates
 */
export function planRun(plan: MemoryPlan): RunPlan {
  const first = plan.candidates[0];
  if (!first) throw new RangeError('planRun: the plan has no candidates');
  const chosen = plan.strategy;
  if (plan.fits && chosen.isImplemented) {
    return { recompute: chosen.kind === 'recompute' ? 'layers' : undefined, resolution: chosen.resolution, isLowered: chosen.resolution < first.resolution, fits: true };
  }
  return { recompute: planRecompute(plan), resolution: first.resolution, isLowered: false, fits: false };
}
