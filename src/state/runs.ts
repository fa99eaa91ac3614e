// The run history: one record per training run (settings, steps, where its checkpoint stands, what it left), kept in
// storage so a reload can offer "Resume run (step k of n)" and a second run never hides the first. Pure: parse,
// update and pick; the training slice does the storage calls. Reference: the studio's training panel.
import { Fields, parseJsonText, StudioError } from '../lib/index';
import { readTraining } from './projectFile';
import type { TrainSettings } from './ports';

/** Storage key of the run history (JSON array, newest first). */
export const RUNS_KEY = 'training/runs';
/** Runs kept in the history; older ones drop off (their packs stay in the engine's storage until replaced). */
export const MAX_RUNS = 20;

export type RunRecord = {
  /** the engine's key for the run's checkpoint and kept pack */
  readonly id: string;
  readonly tokens: readonly string[];
  readonly settings: TrainSettings;
  /** ISO time the run (first) started */
  readonly startedAt: string;
  /** the last optimiser step reported */
  readonly step: number;
  readonly totalSteps: number;
  /** the last step whose checkpoint is stored (0: none): where a resume continues */
  readonly checkpointStep: number;
  /** 'interrupted': stored as 'running' and read back after a reload (the page went away mid-run) */
  readonly status: 'running' | 'interrupted' | 'done' | 'cancelled' | 'error';
  /** the run left a concept pack the engine kept (done, or cancelled after a step) */
  readonly hasPack: boolean;
  readonly trainedOn?: string;
};

const fields = new Fields('run history', (m) => new StudioError('run-history', m));

function readRun(v: unknown, i: number): RunRecord {
  const o = fields.object(v, `[${i}]`);
  const totalSteps = fields.int(o.totalSteps, `[${i}].totalSteps`, 1, 1_000_000);
  const trainedOn = o.trainedOn === undefined ? undefined : fields.string(o.trainedOn, `[${i}].trainedOn`, 256);
  return {
    id: fields.string(o.id, `[${i}].id`, 128),
    tokens: fields.list(o.tokens, `[${i}].tokens`, 16).map((t, k) => fields.string(t, `[${i}].tokens[${k}]`, 64)),
    settings: readTraining({ preset: 'run', settings: o.settings }).settings,
    startedAt: fields.string(o.startedAt, `[${i}].startedAt`, 64),
    step: fields.int(o.step, `[${i}].step`, 0, totalSteps),
    totalSteps,
    checkpointStep: fields.int(o.checkpointStep, `[${i}].checkpointStep`, 0, totalSteps),
    status: fields.oneOf(o.status, `[${i}].status`, ['running', 'interrupted', 'done', 'cancelled', 'error'] as const),
    hasPack: o.hasPack === true,
    ...(trainedOn === undefined ? {} : { trainedOn }),
  };
}

/** The stored history; records that do not parse are dropped (a damaged entry must not hide the others). */
export function parseRuns(text: string | undefined): RunRecord[] {
  if (text === undefined) return [];
  let list: unknown[];
  try {
    list = fields.list(parseJsonText(text, 'the run history', (m) => new StudioError('run-history', m)), '(top level)', 10 * MAX_RUNS);
  } catch {
    return [];
  }
  return list.flatMap((v, i) => {
    try {
      return [readRun(v, i)];
    } catch {
      return [];
    }
  });
}

/** `runs` with `run` first (replacing the record of the same id), at most MAX_RUNS. */
export function withRun(runs: readonly RunRecord[], run: RunRecord): RunRecord[] {
  return [run, ...runs.filter((r) => r.id !== run.id)].slice(0, MAX_RUNS);
}

/** The newest run, when it stopped short of its steps with a checkpoint to continue from; null otherwise. */
export function resumableRun(runs: readonly RunRecord[]): RunRecord | null {
  const r = runs[0];
  return r && r.status !== 'done' && r.checkpointStep > 0 && r.checkpointStep < r.totalSteps ? r : null;
}

/** A new run id: the count of runs so far and the start time, e.g. "run-3-20261207T201500". */
export function newRunId(runs: readonly RunRecord[], now: Date): string {
  return `run-${runs.length + 1}-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
}
