// The training worker's start message for a studio run, built from the store's TrainRequest: the DisenDiff config
// the studio's settings stand for, the recomputation and resolution the memory plan picks, how often to checkpoint, to probe
// attention and to post snapshots. Pure (no worker, no DOM): Node-tested. Reference: protocol.ts StartTraining.
import type { MemoryProfileAnswer } from './generationLink';
import type { StartTraining } from './protocol';
import type { ModelChoice } from './modelChoice';
import { attentionEvery } from './trainingFeedback';
import type { WebRuntimeOptions } from '../runtime/index';
import { regularisationPlan } from '../state/index';
import type { TrainRequest } from '../state/index';
import { DISENDIFF_TERMS, formatBytes, MASK_GUIDED_TERMS, planFromProfile, planRun } from '../train/index';
import type { PlanarImage, RecomputeGranularity, RunPlan } from '../train/index';
import { exportTitle } from './toolExport';

/** The studio's training settings as DisenDiff config overrides: mask guidance off is the released method (masks
 *  ignored, src/train/config.ts DISENDIFF_RELEASED); union sampling needs mask guidance, isolation needs union sampling. */
export function trainingConfig(s: TrainRequest['settings']): StartTraining['config'] {
  const union = s.maskGuidance && s.unionSampling;
  return {
    learningRate: s.learningRate, batchSize: s.batchSize, gradAccumulation: s.gradAccumulation, attentionLossWeight: s.attentionLossWeight,
    useMasks: s.maskGuidance, terms: s.maskGuidance ? MASK_GUIDED_TERMS : DISENDIFF_TERMS, unionSampling: union, subsetIsolation: union && s.isolateConcepts,
    ...(s.kvLoraRank ? { kvLora: { rank: s.kvLoraRank } } : {}),
  };
}

/** Steps between checkpoints: every step for short runs, about 50 checkpoints in a long one (each writes the K/V
 *  weights and Adam moments to IndexedDB: about 230 MB for SD 1.5's 16 cross-attention layers). */
export function checkpointEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / 50));
}

/** What the memory plan runs (train/memory planRun): the loaded model's profile at the run's batch and the settings'
 *  GPU memory budget (default 8 GiB); undefined without a profile or an entry for that batch. */
export function plannedRun(answer: MemoryProfileAnswer | undefined, batch: number, budgetGb?: number): (RunPlan & { budgetBytes: number }) | undefined {
  const profile = answer?.profile;
  const budget = budgetGb === undefined ? {} : { budgetBytes: budgetGb * 2 ** 30 };
  if (!profile?.candidates.some((c) => c.batch === batch)) return undefined;
  const plan = planFromProfile(profile, { batch, ...budget });
  return { ...planRun(plan), budgetBytes: plan.budgetBytes };
}

/** The start message's `lowered` for a plan that stepped the resolution down, with the reason in words. */
export function loweredResolution(run: (RunPlan & { budgetBytes: number }) | undefined, nativeResolution: number): StartTraining['lowered'] {
  if (!run?.isLowered) return undefined;
  return { resolution: run.resolution, reason: `training at ${run.resolution} px instead of ${nativeResolution} px: ${nativeResolution} px does not fit the ${formatBytes(run.budgetBytes)} GPU memory budget even with recomputation` };
}

/** The 'start' message of run `req` on `target` (trainingTarget of canvasImages.ts). */
export function startMessage(choice: ModelChoice, runtime: WebRuntimeOptions, req: TrainRequest, target: PlanarImage, recompute?: RecomputeGranularity, lowered?: StartTraining['lowered']): StartTraining {
  const s = req.settings;
  const reg = regularisationPlan(s);
  return {
    type: 'start', runId: req.runId, model: choice.bytes ? { kind: 'files', label: choice.label, files: choice.bytes } : { kind: 'url', baseUrl: choice.baseUrl, files: choice.files },
    target, concepts: req.concepts.map((c) => ({ token: c.token, classWord: c.classWord })), seed: s.seed, steps: s.steps,
    regularisationCount: reg.count, regularisationSteps: reg.samplerSteps,
    config: { ...trainingConfig(s), ...(recompute ? { recompute } : {}) }, rowInit: s.modifierInit, ...(lowered ? { lowered } : {}),
    isResume: req.isResume === true, checkpointEvery: checkpointEvery(s.steps), exportTitle: exportTitle(req.concepts), runtime, attentionEvery: attentionEvery(s.steps), snapshotEvery: req.preview?.every ?? 0,
  };
}
