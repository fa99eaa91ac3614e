// The training worker's start message for a studio run, built from the store's TrainRequest: the DisenDiff config
// the studio's settings stand for, the recomputation the memory plan picks, how often to checkpoint, to probe
// attention and to post snapshots. Pure (no worker, no DOM): Node-tested. Reference: protocol.ts StartTraining.
import type { MemoryProfileAnswer } from './generationLink';
import type { StartTraining } from './protocol';
import type { ModelChoice } from './modelChoice';
import { attentionEvery } from './trainingFeedback';
import type { WebRuntimeOptions } from '../runtime/index';
import { regularisationPlan } from '../state/index';
import type { TrainRequest } from '../state/index';
import { DISENDIFF_TERMS, MASK_GUIDED_TERMS, planFromProfile, planRecompute } from '../train/index';
import type { PlanarImage, RecomputeGranularity } from '../train/index';
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

/** The recomputation the memory plan picks for a run (the loaded model's profile at the run's batch and the
 *  settings' GPU memory budget, default 8 GiB; train/memory planRecompute); none without a profile or an entry for that batch. */
export function plannedRecompute(answer: MemoryProfileAnswer | undefined, batch: number, budgetGb?: number): RecomputeGranularity | undefined {
  const profile = answer?.profile;
  const budget = budgetGb === undefined ? {} : { budgetBytes: budgetGb * 2 ** 30 };
  return profile?.candidates.some((c) => c.batch === batch) ? planRecompute(planFromProfile(profile, { batch, ...budget })) : undefined;
}

/** The 'start' message of run `req` on `target` (trainingTarget of canvasImages.ts). */
export function startMessage(choice: ModelChoice, runtime: WebRuntimeOptions, req: TrainRequest, target: PlanarImage, recompute?: RecomputeGranularity): StartTraining {
  const s = req.settings;
  const reg = regularisationPlan(s);
  return {
    type: 'start', runId: req.runId, model: choice.bytes ? { kind: 'files', label: choice.label, files: choice.bytes } : { kind: 'url', baseUrl: choice.baseUrl, files: choice.files },
    target, concepts: req.concepts.map((c) => ({ token: c.token, classWord: c.classWord })), seed: s.seed, steps: s.steps,
    regularisationCount: reg.count, regularisationSteps: reg.samplerSteps,
    config: { ...trainingConfig(s), ...(recompute ? { recompute } : {}) }, rowInit: s.modifierInit,
    isResume: req.isResume === true, checkpointEvery: checkpointEvery(s.steps), exportTitle: exportTitle(req.concepts), runtime, attentionEvery: attentionEvery(s.steps), snapshotEvery: req.preview?.every ?? 0,
  };
}
