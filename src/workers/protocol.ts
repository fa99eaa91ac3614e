// The only message types that cross the Web Worker boundaries (house-style §9 workers/): the training worker's
// (training.worker.ts, trainingHost.ts) and the generation worker's (generation.worker.ts). Everything is
// structured-cloneable: typed arrays, plain objects, no functions or class instances. Types only.
import type { PrecisionChoice, Txt2ImgRequest } from '../diffusion/index';
import type { BackendInfo, WebRuntimeOptions } from '../runtime/index';
import type { NetworkChoice, NetworkInfo } from '../state/index';
import type { AttentionSnapshot, MemoryProfile } from '../train/index';
import type { ConceptDef, DisenDiffConfig, ModifierInit, PlanarImage, ProgressEvent } from '../train/index';

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
  /** a training resolution below the model's native one that the memory plan chose (train/memory planRun), and why */
  lowered?: { resolution: number; reason: string };
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

/** A training step's progress as it crosses: attention, when probed, is an AttentionSnapshot. */
export type TrainingProgressEvent = Omit<ProgressEvent, 'attention'> & { attention?: AttentionSnapshot };

export type ToTrainingWorker = StartTraining | { type: 'pause' } | { type: 'resume' } | { type: 'cancel' };

export type TrainingPhase = 'loading' | 'regularisation' | 'building' | 'training' | 'saving';

export type FromTrainingWorker =
  | { type: 'status'; phase: TrainingPhase; detail: string }
  /** the loop's ProgressEvent; its attention is the run's attention probe's snapshot (train/loop/attentionProbe.ts) */
  | { type: 'progress'; event: TrainingProgressEvent }
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

// ---- generation worker ----

/** One concept token's cross-attention map of one image, min–max normalised to [0, 1]. */
export type TokenAttention = { token: string; width: number; height: number; map: Float32Array };

export type ToGenerationWorker =
  | { type: 'load'; baseUrl: string; files: string[]; runtime?: WebRuntimeOptions; /** the files themselves (a model the user picked); else fetched under baseUrl */ bytes?: Record<string, Uint8Array>; /** graph precision, default 'auto' (fp16 on WebGPU with shader-f16) */ precision?: PrecisionChoice; /** time a probe step on each EP first (backendProbe.ts); with prefer 'auto' the faster one is used */ shouldMeasure?: boolean; /** after 'loaded', also post the model's 'memoryProfile' (the first worker of a model; not its restarts) */ shouldProfileMemory?: boolean }
  | { type: 'packs'; packs: Record<string, Uint8Array>[] }
  | { type: 'generate'; id: number; request: Txt2ImgRequest; conceptTokens: string[]; /** the list's LoRA / embedding files (prompt tags resolved against them) */ networks?: NetworkChoice[] }
  /** reads and keeps a LoRA / embedding file (`bytes`), or forgets file `id` (no `bytes`); answered by 'network' */
  | { type: 'network'; id: string; fileName: string; bytes?: Uint8Array }
  /** writes a run's files for other tools on demand (kohya LoRA by SVD, diffusers Custom Diffusion: needs the base UNet); answered by 'exported' */
  | { type: 'export'; packFiles: Record<string, Uint8Array>; title: string; loraRank: number }
  | { type: 'cancel'; id: number };

export type FromGenerationWorker =
  | { type: 'loaded'; modelName: string; backend: BackendInfo; nativeSize: number; kind?: string }
  | { type: 'packsApplied'; tokens: string[] }
  | { type: 'network'; id: string; info?: NetworkInfo }
  | { type: 'exported'; files: Record<string, Uint8Array> }
  | { type: 'memoryProfile'; profile: MemoryProfile | null; /** why there is no profile */ reason?: string }
  | { type: 'progress'; id: number; stepIndex: number; numSteps: number; preview?: { width: number; height: number; rgb: Uint8Array } }
  | { type: 'result'; id: number; pngs: Uint8Array[]; seeds: number[]; width: number; height: number; attention: TokenAttention[][]; /** A1111 infotext per image (what its PNG carries) */ infotexts?: string[] }
  /** a request failed: `key` is its answerKey (generationKeys.ts), `id` the generation's when it was one */
  | { type: 'error'; id?: number; key: string; message: string };
