// Contracts of the personalization loop: the stepper it drives (TrainingSession fits), where micro-batches come
// from, checkpoints and where they are stored, progress events and the result. Types only; no I/O.
import type { HostTensor } from '../../runtime/index';
import type { BatchFeeds, StepResult, TrainingState } from '../engine/types';

/** One optimizer step at a time over accumulated micro-batches (src/train/engine TrainingSession satisfies it). */
export interface Stepper {
  /** exactly `accumulation` micro-batches; `terms` (loss term name → value) when the engine reports them */
  step(...microBatches: BatchFeeds[]): Promise<Omit<StepResult, 'terms'> & { terms?: Record<string, number> }>;
  /** host copies of the trainable parameters (name → float32 tensor) */
  readParams(): Promise<Record<string, HostTensor>>;
  /** the whole optimizer state (params, moments, Adam t); when present, checkpoints carry it */
  readState?(): Promise<TrainingState>;
  /** continues from a readState() result; when present, rollback and resume restore moments and t in place */
  restore?(state: TrainingState): Promise<void>;
  dispose(): Promise<void>;
}

/** Creates a stepper whose parameters start at `params` (fresh optimizer moments). Used at start and on rollback. */
export type StepperFactory = (params: Record<string, HostTensor>) => Promise<Stepper>;

/** Feeds of micro-batch `micro` of the `batchIndex`-th batch drawn (deterministic in both indices for resumability). */
export type BatchSource = (batchIndex: number, micro: number) => Promise<BatchFeeds>;

/** A known-good training state. */
export type Checkpoint = {
  /** optimizer steps applied */
  step: number;
  /** batches drawn so far (applied + rolled back) */
  batchIndex: number;
  rollbacks: number;
  /** trainable name → value */
  params: Record<string, HostTensor>;
  /** the optimizer's own state when the stepper exposes it (absent: a resumed run restarts moments at zero) */
  optimizer?: OptimizerCheckpoint;
  /** what the run trains (base model, concepts), as PersonalizeOptions.jobKey: a resume of another job is refused */
  jobKey?: string;
};

/** Optimizer state of a checkpoint: TrainingState without the params. */
export type OptimizerCheckpoint = {
  /** optimizer steps the engine applied (Adam's t) */
  stepCount: number;
  /** slot name (`m/<p>`, `v/<p>`, `buf/<p>`) → value */
  slots: Record<string, HostTensor>;
};

/** Where checkpoints live: a folder in Node, IndexedDB in the browser, memory in tests. Keeps the latest one. */
export interface CheckpointStore {
  save(checkpoint: Checkpoint): Promise<void>;
  load(): Promise<Checkpoint | undefined>;
  clear(): Promise<void>;
}

/** Sent after every batch. */
export type ProgressEvent = {
  /** optimizer steps applied so far */
  step: number;
  totalSteps: number;
  batchIndex: number;
  /** 'total' (mean over micro-batches) plus each term the stepper reports (loss_base, loss_bind, …) */
  losses: Record<string, number>;
  gradNorm: number;
  /** true when this batch was rejected (non-finite) and the last checkpoint restored */
  isRolledBack: boolean;
  rollbacks: number;
  elapsedSeconds: number;
  /** seconds left at the mean pace so far; undefined before the first applied step */
  etaSeconds: number | undefined;
  /** what probeAttention returned, every `attentionEvery` steps */
  attention?: unknown;
};

export type PersonalizeResult = {
  status: 'done' | 'cancelled';
  step: number;
  batchIndex: number;
  rollbacks: number;
  /** the final (or, when cancelled, latest good) parameters */
  params: Record<string, HostTensor>;
};
