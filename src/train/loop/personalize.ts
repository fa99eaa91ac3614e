// The personalization loop over a Stepper (TrainingSession): draw `accumulation` micro-batches,
// step, report progress (losses per term, ETA, attention maps every N steps), checkpoint every K steps, honour
// pause / resume and AbortSignal cancel between steps. NaN/Inf rollback: when the engine skips a step (non-finite
// gradients) or the loss or the checkpointed state is non-finite, the last good checkpoint is restored — params,
// Adam moments and t in place when the stepper has readState/restore (TrainingSession), else by rebuilding the
// stepper from the params (fresh moments) — and the next batch is drawn. Resume restores the same way.
// Reference: docs/disendiff.md §2.8/§2.10 (accumulate 4 × batch 2, 250 AdamW steps); docs/ecosystem.md §9 items 4–5.
import { ConfigError, StudioError } from '../../lib/errors';
import type { HostTensor } from '../../runtime/index';
import type { BatchFeeds } from '../engine/types';
import { cloneCheckpoint, isFiniteCheckpoint, paramRms } from './checkpoints';
import type { PauseController } from './PauseController';
import type { BatchSource, Checkpoint, CheckpointStore, PersonalizeResult, ProgressEvent, Stepper, StepperFactory } from './types';

export type PersonalizeOptions = {
  createStepper: StepperFactory;
  /** starting parameters (ignored when `resumeFrom` is given) */
  initialParams: Record<string, HostTensor>;
  batches: BatchSource;
  /** optimizer steps to apply in total (250 for SD 1.5, §2.8) */
  steps: number;
  /** micro-batches per step (4, §2.8) */
  accumulation: number;
  /** save a checkpoint every this many applied steps (and at the end); default 25 */
  checkpointEvery?: number;
  store?: CheckpointStore;
  /** continue from this checkpoint (e.g. store.load()); refused when it holds other trainables or another jobKey */
  resumeFrom?: Checkpoint;
  /** what this run trains (base model hash, concept tokens and class words), written into its checkpoints */
  jobKey?: string;
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
  pause?: PauseController;
  /** call probeAttention every this many applied steps (0 = never) */
  attentionEvery?: number;
  probeAttention?: (stepper: Stepper, step: number) => Promise<unknown>;
  /** consecutive rollbacks allowed before giving up; default 5 */
  maxConsecutiveRollbacks?: number;
  /** seconds clock for the ETA; default performance.now()/1000 */
  now?: () => number;
};

/** Training kept diverging after rollbacks: lower the learning rate or check the data. */
export class TrainingDivergedError extends StudioError {
  constructor(message: string) {
    super('runtime', message);
  }
}

/**
 * Divergence beyond NaN/Inf (deliberate addition to DisenDiff's loop, which has no guard): a loss above
 * LOSS_EXPLOSION × the run's first loss (floored at 0.01), or a parameter whose RMS at a checkpoint exceeds
 * WEIGHT_EXPLOSION × its starting RMS (floored at 0.01), counts as a diverged step and is rolled back like a
 * non-finite one. With --lr 1e6 the embeddings reached ~1e18 while every value stayed finite.
 */
export const LOSS_EXPLOSION = 1e4;
export const WEIGHT_EXPLOSION = 1e3;

type State = { jobKey?: string; stepper: Stepper; good: Checkpoint; step: number; batchIndex: number; rollbacks: number; streak: number; firstLoss?: number; rms0: Record<string, number> };

/** Why checkpoint `c` is not a good state, or '' when it is one. */
function badState(c: Checkpoint, rms0: Record<string, number>): string {
  if (!isFiniteCheckpoint(c)) return 'non-finite loss or parameters';
  const rms = paramRms(c.params);
  const blown = Object.keys(rms).find((k) => (rms[k] as number) > WEIGHT_EXPLOSION * Math.max(rms0[k] ?? 0, 0.01));
  return blown ? `weights exploded ("${blown}" RMS ${(rms[blown] as number).toExponential(2)}, ${(rms0[blown] ?? 0).toExponential(2)} at the start)` : '';
}

function check(o: PersonalizeOptions): void {
  for (const [k, v] of [['steps', o.steps], ['accumulation', o.accumulation], ['checkpointEvery', o.checkpointEvery ?? 25]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`personalize: ${k} must be an integer ≥ 1, got ${v}`);
  }
  const c = o.resumeFrom;
  if (!c) return;
  const refuse = (why: string) => {
    throw new ConfigError(`personalize: cannot resume: the checkpoint ${why}. Resume with the same model and concepts, or start over without resuming (delete the checkpoint).`);
  };
  if (c.jobKey !== undefined && o.jobKey !== undefined && c.jobKey !== o.jobKey) refuse(`was made for another job (${c.jobKey.slice(0, 200)}; this run: ${o.jobKey.slice(0, 200)})`);
  const shape = (t: HostTensor | undefined) => (t ? `[${t.dims.join(', ')}]` : 'absent');
  const names = new Set([...Object.keys(c.params), ...Object.keys(o.initialParams)]);
  const differ = [...names].filter((n) => shape(c.params[n]) !== shape(o.initialParams[n]));
  if (differ.length > 0) refuse(`holds other trainables (${differ.slice(0, 3).map((n) => `"${n}" ${shape(c.params[n])} there, ${shape(o.initialParams[n])} here`).join('; ')}) — another number of concepts or another model`);
}

/** The stepper's current state as a checkpoint (with the optimizer state when the stepper exposes it). */
async function snapshot(s: State): Promise<Checkpoint> {
  const base = { step: s.step, batchIndex: s.batchIndex, rollbacks: s.rollbacks, ...(s.jobKey !== undefined ? { jobKey: s.jobKey } : {}) };
  if (!s.stepper.readState) return { ...base, params: await s.stepper.readParams() };
  const st = await s.stepper.readState();
  return { ...base, params: st.params, optimizer: { stepCount: st.stepCount, slots: st.slots } };
}

/** A stepper at checkpoint `c`: built from its params, then its optimizer state restored when both allow it. */
async function stepperAt(o: PersonalizeOptions, c: Checkpoint): Promise<Stepper> {
  const copy = cloneCheckpoint(c);
  const stepper = await o.createStepper(copy.params);
  if (copy.optimizer && stepper.restore) await stepper.restore({ stepCount: copy.optimizer.stepCount, params: copy.params, slots: copy.optimizer.slots });
  return stepper;
}

/** (1) restore the last good checkpoint (in place, or by rebuilding), (2) count, (3) give up after too many in a row. */
async function rollback(s: State, o: PersonalizeOptions, why: string): Promise<void> {
  const good = cloneCheckpoint(s.good);
  if (good.optimizer && s.stepper.restore) await s.stepper.restore({ stepCount: good.optimizer.stepCount, params: good.params, slots: good.optimizer.slots });
  else {
    await s.stepper.dispose();
    s.stepper = await stepperAt(o, good);
  }
  s.step = s.good.step;
  s.rollbacks++;
  s.streak++;
  const limit = o.maxConsecutiveRollbacks ?? 5;
  if (s.streak > limit) throw new TrainingDivergedError(`personalize: ${s.streak} rollbacks in a row (last: ${why}) at step ${s.step}; lower the learning rate or check the input image and masks`);
}

/**
 * After an applied step: checkpoint on schedule, keeping only sane states (badState) as "good"; returns why the
 * state is bad, or ''. The rollback streak ends only at a new good checkpoint, so a run that diverges again after
 * every rollback stops instead of cycling.
 */
async function maybeCheckpoint(s: State, o: PersonalizeOptions): Promise<string> {
  const every = o.checkpointEvery ?? 25;
  if (s.step % every !== 0 && s.step !== o.steps) return '';
  const c = await snapshot(s);
  const why = badState(c, s.rms0);
  if (why) return why;
  s.good = c;
  s.streak = 0;
  await o.store?.save(s.good);
  return '';
}

/** On cancel: checkpoint the current state when it is finite (so a later run can resume), else the last good one. */
async function cancelled(s: State, o: PersonalizeOptions): Promise<PersonalizeResult> {
  if (s.step !== s.good.step) {
    const c = await snapshot(s);
    if (!badState(c, s.rms0)) {
      s.good = c;
      await o.store?.save(s.good);
    }
  }
  return { status: 'cancelled', step: s.good.step, batchIndex: s.good.batchIndex, rollbacks: s.rollbacks, params: s.good.params };
}

/**
 * Runs the loop to `steps` applied steps or until cancelled.
 * @throws TrainingDivergedError after too many consecutive rollbacks; errors of the stepper or batch source
 */
export async function personalize(o: PersonalizeOptions): Promise<PersonalizeResult> {
  check(o);
  const now = o.now ?? (() => performance.now() / 1000);
  const start = o.resumeFrom ? cloneCheckpoint(o.resumeFrom) : { step: 0, batchIndex: 0, rollbacks: 0, params: o.initialParams };
  if (o.jobKey !== undefined) start.jobKey = o.jobKey;
  const s: State = { jobKey: o.jobKey, stepper: await stepperAt(o, start), good: start, step: start.step, batchIndex: start.batchIndex, rollbacks: start.rollbacks, streak: 0, rms0: paramRms(start.params) };
  // the starting point as a full state (zero moments, or the resumed ones), so an early rollback restores it too
  if (s.stepper.readState) s.good = await snapshot(s);
  const t0 = now();
  const firstStep = s.step;
  try {
    while (s.step < o.steps) {
      // 1. pause / cancel between steps
      await o.pause?.wait(o.signal);
      if (o.signal?.aborted) return await cancelled(s, o);
      // 2. draw and step
      const feeds: BatchFeeds[] = [];
      for (let m = 0; m < o.accumulation; m++) feeds.push(await o.batches(s.batchIndex, m));
      s.batchIndex++;
      const r = await s.stepper.step(...feeds);
      // 3. NaN/Inf guard → rollback, else advance and checkpoint
      s.firstLoss ??= Number.isFinite(r.loss) && !r.skipped ? r.loss : undefined;
      const exploded = s.firstLoss !== undefined && r.loss > LOSS_EXPLOSION * Math.max(s.firstLoss, 0.01);
      let why = r.skipped ? 'step skipped by the engine (non-finite gradients)' : !Number.isFinite(r.loss) ? 'non-finite loss' : exploded ? `loss exploded (${r.loss.toExponential(2)}, first ${(s.firstLoss as number).toExponential(2)})` : '';
      if (!why) {
        s.step++;
        why = await maybeCheckpoint(s, o);
      }
      const isRolledBack = why !== '';
      if (isRolledBack) await rollback(s, o, why);
      // 4. progress
      const elapsed = now() - t0;
      const done = s.step - firstStep;
      const e: ProgressEvent = {
        step: s.step, totalSteps: o.steps, batchIndex: s.batchIndex, losses: { total: r.loss, ...(r.terms ?? {}) }, gradNorm: r.gradNorm, isRolledBack, rollbacks: s.rollbacks,
        elapsedSeconds: elapsed, etaSeconds: done > 0 ? (elapsed / done) * (o.steps - s.step) : undefined,
      };
      if (!isRolledBack && o.probeAttention && (o.attentionEvery ?? 0) > 0 && s.step % (o.attentionEvery as number) === 0) e.attention = await o.probeAttention(s.stepper, s.step);
      o.onProgress?.(e);
    }
    return { status: 'done', step: s.step, batchIndex: s.batchIndex, rollbacks: s.rollbacks, params: s.good.params };
  } finally {
    await s.stepper.dispose();
  }
}
