// The only message types that cross the training Web Worker boundary (house-style §9 workers/). Everything is
// structured-cloneable: typed arrays, plain objects, no functions or class instances. Types only.
import type { WebRuntimeOptions } from '../runtime/index';
import type { ConceptDef, DisenDiffConfig, ModifierInit } from '../train/index';
import type { PlanarImage } from '../train/data/image';
import type { ProgressEvent } from '../train/loop/types';

/** Where the worker reads the base model: bytes sent over (path → bytes), or URLs under a base (public/models/…). */
export type ModelSpec =
  | { kind: 'files'; label: string; files: Record<string, Uint8Array> }
  | { kind: 'url'; baseUrl: string; files: string[] };

export type StartTraining = {
  type: 'start';
  /** key of this run's checkpoint (IndexedDB) */
  runId: string;
  model: ModelSpec;
  /** [3 + n, H, W] RGB in [−1, 1] and optional per-concept masks */
  target: PlanarImage;
  concepts: ConceptDef[];
  seed: number;
  steps?: number;
  /** regularisation images generated from the class prompt (DisenDiff used 200) */
  regularisationCount: number;
  /** sampler steps per regularisation image (default 25, DDIM, CFG 6) */
  regularisationSteps?: number;
  /** overrides of the DisenDiff defaults (plain data) */
  config?: Partial<Omit<DisenDiffConfig, 'betas'>>;
  /** how modifier rows start (default 'model-default') */
  rowInit?: ModifierInit;
  /** continue from this run's stored checkpoint when there is one */
  isResume: boolean;
  checkpointEvery?: number;
  /** attach AttentionSnapshot maps to progress every this many steps (0/absent = never; costs a second session) */
  attentionEvery?: number;
  /** post a 'snapshot' concept pack of the current trainables every this many steps (0/absent = never) */
  snapshotEvery?: number;
  /** ecosystem export file stem (exportEcosystem title) */
  exportTitle?: string;
  runtime?: WebRuntimeOptions;
};

export type ToTrainingWorker = StartTraining | { type: 'pause' } | { type: 'resume' } | { type: 'cancel' };

export type TrainingPhase = 'loading' | 'regularisation' | 'building' | 'training' | 'saving';

export type FromTrainingWorker =
  | { type: 'status'; phase: TrainingPhase; detail: string }
  | { type: 'progress'; event: ProgressEvent }
  /** regularisation image `done` of `total` is ready; `cached` of those were read from the cache, not rendered */
  | { type: 'regularisation'; done: number; total: number; cached: number }
  | { type: 'snapshot'; step: number; packFiles: Record<string, Uint8Array> }
  /** a checkpoint of optimiser step `step` is in the run's CheckpointStore: a later start with isResume continues there */
  | { type: 'checkpoint'; step: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | {
      type: 'done';
      status: 'done' | 'cancelled';
      step: number;
      rollbacks: number;
      /** where the steps ran, in words: "WebGPU · <adapter>" or "wasm" (the runner's BackendInfo) */
      trainedOn: string;
      /** pack folder files (pack.json, weights.safetensors): path → bytes */
      packFiles: Record<string, Uint8Array>;
      /** ecosystem export files: file name → bytes */
      exportFiles: Record<string, Uint8Array>;
    }
  | { type: 'error'; code: string; message: string };
