// The plan of a training run, shown before Train: the regularisation images to render (and how many this browser has
// already rendered: they are cached in IndexedDB, src/train/data/regularisation.ts), the optimiser steps, and the time
// on the current backend from paces a run measured there (kept in storage per model and backend, so one run measures
// and later plans reuse it). Pure: the training slice feeds the meter and stores the book.
// Reference: the studio's training panel; docs/disendiff.md §2.11 (200 regularisation images, as released).
import type { BackendInfo } from '../runtime/types';
import type { TrainProgress, TrainSettings } from './ports';

/** The model a pace belongs to (types.ts ModelRef, structurally: this file is below types.ts). */
type ModelKey = { readonly kind: 'default' } | { readonly kind: 'snapshot'; readonly id: string };

/** Storage key of the pace book (JSON PaceBook). */
export const PACE_KEY = 'training/pace';

/**
 * The regularisation phase of a run: the settings' count (0 skips it) or by default DisenDiff's 200 class-prompt
 * images, at 25 DDIM steps; smoke runs (≤ 10 steps) default to 2 images and render at 2 steps. The one source:
 * engineClient sends these counts to the training worker.
 */
export function regularisationPlan(s: Pick<TrainSettings, 'steps' | 'regularisationImages'>): { readonly count: number; readonly samplerSteps: number } {
  const isSmoke = s.steps <= 10;
  return { count: s.regularisationImages ?? (isSmoke ? 2 : 200), samplerSteps: isSmoke ? 2 : 25 };
}

/** Paces measured by one run on one model and backend (medians over the run). */
export type Pace = {
  /** seconds per sampler step of a rendered regularisation image (classifier-free guidance included), measured on
   *  images of `samplerSteps` steps: a 2-step image's per-step figure carries its fixed costs (text encoder, VAE
   *  decode) over 2 steps, so it is used only for images of the same step count */
  readonly samplerStepSeconds?: number;
  readonly samplerSteps?: number;
  /** seconds per optimiser step divided by batch × accumulation (the per-sample cost) */
  readonly sampleSeconds?: number;
  /** model load + graph build + the first optimiser step, seconds */
  readonly setupSeconds?: number;
  readonly measuredAt: string;
};

/** What the studio keeps across runs: paces per model + backend, and images rendered per regularisation set. */
export type PaceBook = { readonly paces: Readonly<Record<string, Pace>>; readonly regularisation: Readonly<Record<string, number>> };

export const EMPTY_PACE_BOOK: PaceBook = { paces: {}, regularisation: {} };

/** The pace key of a model on a backend, e.g. "default|wasm" or "snapshot:ab12|webgpu · SwiftShader". */
export function paceKey(model: ModelKey, backend: Pick<BackendInfo, 'ep' | 'adapter'>): string {
  return `${model.kind === 'default' ? 'default' : `snapshot:${model.id}`}|${backend.ep}${backend.adapter ? ` · ${backend.adapter}` : ''}`;
}

/**
 * The key of a regularisation set as the worker caches it (model, class prompt from the class words, seed 10 000 +
 * training seed, sampler steps); image i of every run with this key is the same image, so a set rendered to n images
 * gives the first n of any later run.
 */
export function regularisationSetKey(model: ModelKey, classWords: readonly string[], seed: number, samplerSteps: number): string {
  return `${model.kind === 'default' ? 'default' : `snapshot:${model.id}`}|${classWords.join('+')}|${seed}|${samplerSteps}`;
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** The stored book; anything malformed is dropped (a plan without figures, never an error). */
export function parsePaceBook(text: string | undefined): PaceBook {
  if (text === undefined) return EMPTY_PACE_BOOK;
  try {
    const o = JSON.parse(text) as { paces?: Record<string, Record<string, unknown>>; regularisation?: Record<string, unknown> };
    const paces: Record<string, Pace> = {};
    for (const [k, p] of Object.entries(o.paces ?? {}).slice(0, 64)) {
      if (typeof p !== 'object' || p === null) continue;
      const pace: Pace = { measuredAt: typeof p.measuredAt === 'string' ? p.measuredAt.slice(0, 64) : '' };
      const [a, b, c, n] = [finite(p.samplerStepSeconds), finite(p.sampleSeconds), finite(p.setupSeconds), finite(p.samplerSteps)];
      const steps = n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
      paces[k.slice(0, 300)] = { ...pace, ...(a === undefined || steps === undefined ? {} : { samplerStepSeconds: a, samplerSteps: steps }), ...(b === undefined ? {} : { sampleSeconds: b }), ...(c === undefined ? {} : { setupSeconds: c }) };
    }
    const regularisation: Record<string, number> = {};
    for (const [k, n] of Object.entries(o.regularisation ?? {}).slice(0, 256)) {
      if (typeof n === 'number' && Number.isInteger(n) && n > 0) regularisation[k.slice(0, 300)] = n;
    }
    return { paces, regularisation };
  } catch {
    return EMPTY_PACE_BOOK;
  }
}

/** `book` with a run's measurements merged: measured figures replace the old ones, unmeasured ones stay. */
export function withMeasurement(book: PaceBook, key: string, measured: Omit<Pace, 'measuredAt'>, measuredAt: string, reg?: { key: string; rendered: number }): PaceBook {
  const hasFigure = Object.values(measured).some((v) => v !== undefined);
  const paces = hasFigure ? { ...book.paces, [key]: { ...book.paces[key], ...measured, measuredAt } } : book.paces;
  const regularisation = reg && reg.rendered > (book.regularisation[reg.key] ?? 0) ? { ...book.regularisation, [reg.key]: reg.rendered } : book.regularisation;
  return { paces, regularisation };
}

export type RunEstimate = {
  readonly regularisationImages: number;
  /** images this browser rendered before for the same set (read from the IndexedDB cache, not rendered again) */
  readonly regularisationCached: number;
  readonly samplerSteps: number;
  readonly steps: number;
  /** samples per optimiser step: batch × gradient accumulation */
  readonly samplesPerStep: number;
  /** seconds per part on this backend; a part is absent when nothing measured it yet */
  readonly seconds: { readonly regularisation?: number; readonly setup?: number; readonly training?: number };
  /** the sum, only when every part is measured */
  readonly totalSeconds?: number;
};

/** The whole run of `settings` at `pace` (undefined: not measured on this backend), with `cached` images already rendered. */
export function estimateRun(settings: TrainSettings, pace: Pace | undefined, cached: number): RunEstimate {
  const reg = regularisationPlan(settings);
  const regularisationCached = Math.min(reg.count, Math.max(0, cached));
  const toRender = reg.count - regularisationCached;
  const samplesPerStep = settings.batchSize * settings.gradAccumulation;
  const stepS = samplerStepSecondsAt(pace, reg.samplerSteps);
  const regS = toRender === 0 ? 0 : stepS === undefined ? undefined : toRender * reg.samplerSteps * stepS;
  const trainS = pace?.sampleSeconds === undefined ? undefined : Math.max(0, settings.steps - 1) * samplesPerStep * pace.sampleSeconds;
  const setupS = pace?.setupSeconds;
  const seconds = { ...(regS === undefined ? {} : { regularisation: regS }), ...(setupS === undefined ? {} : { setup: setupS }), ...(trainS === undefined ? {} : { training: trainS }) };
  const isComplete = regS !== undefined && trainS !== undefined && setupS !== undefined;
  return { regularisationImages: reg.count, regularisationCached, samplerSteps: reg.samplerSteps, steps: settings.steps, samplesPerStep, seconds, ...(isComplete ? { totalSeconds: regS + trainS + setupS } : {}) };
}

/** The pace's seconds per sampler step when it was measured on images of `samplerSteps` steps, else undefined. */
function samplerStepSecondsAt(pace: Pace | undefined, samplerSteps: number): number | undefined {
  return pace?.samplerSteps === samplerSteps ? pace.samplerStepSeconds : undefined;
}

/** Seconds left in the regularisation phase at image `done` of `total`, when measured at these sampler steps. */
export function regularisationSecondsLeft(done: number, total: number, samplerSteps: number, pace: Pace | undefined): number | undefined {
  const s = samplerStepSecondsAt(pace, samplerSteps);
  return s === undefined ? undefined : Math.max(0, total - done) * samplerSteps * s;
}

const median = (xs: readonly number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Measures one run from its progress reports and their times (ms): the paces of a Pace, and the images rendered. */
export function createPaceMeter(settings: TrainSettings) {
  const { samplerSteps } = regularisationPlan(settings);
  const samples = settings.batchSize * settings.gradAccumulation;
  const regIntervals: number[] = [];
  const stepIntervals: number[] = [];
  let prevReg: { done: number; cached: number; ms: number } | null = null;
  let prevStep: { step: number; ms: number } | null = null;
  let loadingMs: number | undefined;
  let regStartMs: number | undefined;
  let buildingMs: number | undefined;
  let setupSeconds: number | undefined;
  let rendered = 0;
  return {
    record(p: TrainProgress, ms: number): void {
      if (p.stage === 'loading' && loadingMs === undefined) loadingMs = ms;
      if (p.stage === 'regularisation' && regStartMs === undefined) regStartMs = ms;
      if (p.stage === 'building' && buildingMs === undefined) buildingMs = ms;
      const r = p.regularisation;
      if (r) {
        // an interval counts when exactly one image was rendered (not read from the cache) since the last report
        if (prevReg && r.done === prevReg.done + 1 && r.cached === prevReg.cached) regIntervals.push((ms - prevReg.ms) / 1000 / samplerSteps);
        rendered = Math.max(rendered, r.done);
        prevReg = { done: r.done, cached: r.cached, ms };
      }
      if (p.stage === undefined && !r && p.step > 0 && Object.keys(p.losses).length > 0) {
        if (prevStep === null && buildingMs !== undefined && loadingMs !== undefined) {
          setupSeconds = ((regStartMs ?? buildingMs) - loadingMs + (ms - buildingMs)) / 1000;
        }
        if (prevStep && p.step === prevStep.step + 1) stepIntervals.push((ms - prevStep.ms) / 1000 / samples);
        if (!prevStep || p.step > prevStep.step) prevStep = { step: p.step, ms };
      }
    },
    /** the paces measured so far (absent where no interval was seen) and the regularisation images the run has */
    result(): { pace: Omit<Pace, 'measuredAt'>; rendered: number } {
      const a = median(regIntervals);
      const b = median(stepIntervals);
      return { pace: { ...(a === undefined ? {} : { samplerStepSeconds: a, samplerSteps }), ...(b === undefined ? {} : { sampleSeconds: b }), ...(setupSeconds === undefined ? {} : { setupSeconds }) }, rendered };
    },
  };
}
