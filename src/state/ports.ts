// The seams where the engine, the tokenizer and storage plug into the studio store. Interfaces only:
// implementations live in app/ (browser) or tests (in-memory). The store never imports onnxruntime,
// and takes only types (and the sampler list, limits.ts) from diffusion and train. Reference: the studio's concepts panel, model panel, training panel, generation panel, disentanglement view, persistence and export, docs/house-style.md §10 (ports).
import type { BackendInfo } from '../runtime/index';
import type { SamplerName } from '../diffusion/index';
import type { ModifierInit } from '../train/index';

export type { ModifierInit, SamplerName };

export type { BackendInfo };

export type GenerateRequest = {
  /** prompt as typed, with learned tokens like "<cat1>" */
  readonly prompt: string;
  /** prompt with each concept token expanded to "<cat1> cat" (what the text encoder should see) */
  readonly expandedPrompt: string;
  readonly negativePrompt: string;
  readonly seed: number;
  readonly steps: number;
  readonly guidance: number;
  readonly sampler: SamplerName;
  readonly batch: number;
  readonly width: number;
  readonly height: number;
  /** image-to-image / inpainting: start from this image (its square scaled to width × height) */
  readonly init?: GenerateInit;
  /** the LoRA and embedding files in the list (NetworksPort): the engine applies the enabled ones and those a
   *  `<lora:name:w>` tag in the prompt names (docs/lora.md); absent = none */
  readonly networks?: readonly NetworkChoice[];
};

/** A LoRA (LyCORIS full diff included) or textual-inversion file the engine has read against the loaded model. */
export type NetworkInfo = {
  /** the file stem: the LoRA's `<lora:name>` name, the key of the file in the list */
  readonly id: string;
  readonly name: string;
  readonly fileName: string;
  readonly kind: 'lora' | 'embedding';
  /** bytes */
  readonly size: number;
  /** A1111's short hash ("Lora hashes" / "TI hashes") */
  readonly hash: string;
  /** LoRA: modules matched to model weights, and keys of the file that match none */
  readonly modules?: number;
  readonly unknownKeys?: number;
  readonly firstUnknownKey?: string;
  /** embedding: the trigger (what the prompt writes) and its vectors (tokens trigger, trigger_1, …) */
  readonly trigger?: string;
  readonly vectors?: number;
};

/** One file of the list with the user's settings. */
export type NetworkItem = NetworkInfo & {
  /** LoRA strength (NETWORK_LIMITS.strength); embeddings have none */
  readonly strength: number;
  readonly isEnabled: boolean;
};

/** What a generate request says about one file of the list. */
export type NetworkChoice = Pick<NetworkItem, 'id' | 'name' | 'kind' | 'strength' | 'isEnabled'>;

/** LoRA and embedding files of the loaded model, kept in browser storage per model (workers/networkStore.ts). */
export interface NetworksPort {
  /** the files kept for this model (read again at load) with their saved settings, and the messages of those refused */
  restore(): Promise<{ readonly items: readonly NetworkItem[]; readonly refused: readonly string[] }>;
  /** reads and keeps a file (a file of the same stem is replaced); rejects with the reason naming the file */
  add(fileName: string, bytes: Uint8Array): Promise<NetworkInfo>;
  remove(id: string): Promise<void>;
  /** keeps the list's order, strengths and switches */
  saveSettings(items: readonly NetworkChoice[]): Promise<void>;
}

/** The init of an edit: the source square, the repaint mask at the output size, and A1111's options. */
export type GenerateInit = {
  readonly dataUrl: string;
  readonly crop: { readonly x: number; readonly y: number; readonly size: number };
  /** [height, width] bytes, 255 = repaint; absent = image-to-image */
  readonly mask?: Uint8Array;
  readonly strength: number;
  readonly maskBlur: number;
  readonly invertMask: boolean;
  /** A1111 "Inpaint area: Only masked" with its padding (px); absent = the whole picture */
  readonly onlyMasked?: { readonly padding: number };
};

/** Progress of one denoising run: stepIndex is a loop position (0-based), not a timestep. */
export type GenerateProgress = {
  readonly stepIndex: number;
  readonly totalSteps: number;
  /** approximate RGB preview of the current x₀ estimate of image 1 at latent size, when the engine makes one */
  readonly preview?: { readonly width: number; readonly height: number; readonly rgb: Uint8Array };
};

/** One concept token's cross-attention map over an image, values in [0, 1], row-major [height, width]. */
export type TokenAttentionMap = { readonly token: string; readonly width: number; readonly height: number; readonly map: Float32Array };

/** One result image, encoded for display (PNG data URL), with the concept tokens' attention maps when the engine has them. */
export type GeneratedImage = {
  readonly dataUrl: string; readonly seed: number; readonly width: number; readonly height: number; readonly attention?: readonly TokenAttentionMap[];
  /** the A1111 infotext the image's PNG carries, when the engine says */
  readonly infotext?: string;
};

export type TrainConcept = {
  readonly token: string;
  readonly classWord: string;
  /** mask [maskResolution, maskResolution], bytes 0–255 (0/255 but on soft-brush edges), row-major, over the crop square */
  readonly mask: Uint8Array;
};

export type TrainRequest = {
  /** reference image as a data URL plus the crop square in its pixels */
  readonly image: { readonly dataUrl: string; readonly crop: { readonly x: number; readonly y: number; readonly size: number } };
  readonly concepts: readonly TrainConcept[];
  readonly maskResolution: number;
  readonly settings: TrainSettings;
  /** sample an image with the concepts learned so far every `every` optimiser steps, with these generation settings */
  readonly preview?: { readonly every: number; readonly request: GenerateRequest };
  /** the run's id in the run history: the key of its checkpoint and of its kept concept pack */
  readonly runId: string;
  /** continue run `runId` from its stored checkpoint (after a reload or a cancel) instead of starting over */
  readonly isResume?: boolean;
};

export type TrainSettings = {
  /** optimiser steps (DisenDiff: 250) */
  readonly steps: number;
  /** AdamW learning rate (DisenDiff: 8e-5) */
  readonly learningRate: number;
  /** micro-batch size (DisenDiff: 2) */
  readonly batchSize: number;
  /** gradient accumulation (DisenDiff: 4 → effective batch 8) */
  readonly gradAccumulation: number;
  /** weight of the attention-calibration losses (DisenDiff configs/full.yaml: 0.01) */
  readonly attentionLossWeight: number;
  readonly seed: number;
  /** train with the masks: the diffusion loss restricted to the named concepts' masks plus Break-A-Scene's
   *  attention-to-mask term (beyond the paper; off = DisenDiff as released, masks ignored) */
  readonly maskGuidance: boolean;
  /** with mask guidance: captions naming random subsets of the concepts (Break-A-Scene union sampling) */
  readonly unionSampling: boolean;
  /** with union sampling: erase the concepts a training caption leaves out (src/train/data/isolate.ts; beyond the paper) */
  readonly isolateConcepts: boolean;
  /** how modifier tokens start (src/train/config.ts ModifierInit): released rare tokens, the class word, or the model's default */
  readonly modifierInit: ModifierInit;
  /** class-prompt regularisation images (prior preservation; 0 skips the phase); absent: runPlan.ts regularisationPlan's
   *  default, DisenDiff's 200 (2 for smoke runs of at most 10 steps) */
  readonly regularisationImages?: number;
  /** learn the K/V updates as rank-r LoRA factors (src/train/graphs/kvLora.ts; beyond the paper): the rank, or
   *  absent for the released full K/V */
  readonly kvLoraRank?: number;
  /** GPU memory budget of the training step in GB (the memory plan's, default DEFAULT_MEMORY_BUDGET_GB): the job
   *  recomputes activations when the plan says the plain step does not fit it */
  readonly memoryBudgetGb?: number;
};

/**
 * The learned concepts' cross-attention on the training view of the reference image (DisenDiff maps M_i of the
 * modifier tokens, then C_i of the class words; docs/disendiff.md §2.6), with the trainables of optimiser step `step`.
 */
export type TrainAttention = { readonly step: number; readonly maps: readonly TokenAttentionMap[] };

/** Progress of training: step is the optimiser step just finished (1-based); losses name → value. */
export type TrainProgress = {
  readonly step: number;
  readonly totalSteps: number;
  readonly losses: Readonly<Record<string, number>>;
  /** seconds left at the mean pace so far, when the engine knows */
  readonly etaSeconds?: number;
  /** attention maps, on the steps where the engine probes them */
  readonly attention?: TrainAttention;
  /** an image sampled with the concepts of optimiser step `step` (TrainRequest.preview) */
  readonly sample?: TrainSample;
  /** what the engine is doing before the first step or after the last, e.g. "building the training graph" */
  readonly phase?: string;
  /** the optimiser step whose checkpoint was just stored (a reload can resume from it) */
  readonly checkpointStep?: number;
  /** the phase before the first step or after the last, when the report is about one (absent for step reports) */
  readonly stage?: TrainStage;
  /** regularisation images ready of those planned, `cached` of them read back from browser storage */
  readonly regularisation?: { readonly done: number; readonly total: number; readonly cached: number };
};

/** What a run does outside its optimiser steps (src/workers/protocol.ts TrainingPhase, less 'training'). */
export type TrainStage = 'loading' | 'regularisation' | 'building' | 'saving';

export type TrainSample = { readonly step: number; readonly dataUrl: string };

/** Pause / resume of one training run: the store flips it, the engine listens and pauses between optimiser steps. */
export interface TrainPause {
  readonly isPaused: boolean;
  /** calls `listener` on every change; returns the unsubscribe function */
  subscribe(listener: (isPaused: boolean) => void): () => void;
}

/** `trainedOn`: where the steps ran, in words ("WebGPU · <adapter>", "wasm"), where the engine knows it. */
export type TrainResult = {
  readonly learnedTokens: readonly string[];
  readonly trainedOn?: string;
  /** per tool (A1111, ComfyUI, diffusers): which export file goes where and the prompt that works (the export's usage text) */
  readonly exportUsage?: string;
  /** a cancelled run that kept its concepts: the optimiser steps it finished of those planned */
  readonly stoppedAt?: { readonly step: number; readonly totalSteps: number };
};

/** Stored ZIP archives (app/zip.ts): the project file with its trained concept packs. */
export interface ArchivePort {
  write(files: ReadonlyMap<string, Uint8Array>): Uint8Array;
  /** @throws an error naming `name` and the bad entry */
  read(bytes: Uint8Array, name: string): Map<string, Uint8Array>;
}

/** One concept pack folder as files: pack.json, weights.safetensors (src/train/pack/io.ts). */
export type PackFiles = Readonly<Record<string, Uint8Array>>;

/** The diffusion/training engine. Long calls honour `signal` and report progress through the callback. */
export interface EnginePort {
  /** name of the loaded model, e.g. "Stable Diffusion 1.5" or "tiny random (tests)" */
  readonly modelName: string;
  /** the samplers this engine runs (registry display names, src/diffusion/schedulers/registry.ts); the panel disables the others */
  readonly samplers: readonly SamplerName[];
  generate(request: GenerateRequest, onProgress: (p: GenerateProgress) => void, signal: AbortSignal): Promise<readonly GeneratedImage[]>;
  /** `pause`, when given, pauses and resumes the run between optimiser steps (cancel stays with `signal`) */
  train(request: TrainRequest, onProgress: (p: TrainProgress) => void, signal: AbortSignal, pause?: TrainPause): Promise<TrainResult>;
  /** applies the concept pack an earlier run `runId` made (the run history's "Use"); resolves to its tokens */
  useRun?(runId: string): Promise<readonly string[]>;
  /** community LoRA and embedding files for generation (absent: the list is unavailable) */
  readonly networks?: NetworksPort;
  /** the concept packs in use (pack folder: file name → bytes), for a project export that carries its trained concepts */
  packsInUse?(): Promise<readonly PackFiles[]>;
  /** checks every pack (`label` names their source in errors), then applies them beside those in use; resolves to
   *  the tokens they teach. One bad pack refuses all, and nothing changes. */
  importPacks?(packs: readonly PackFiles[], label: string): Promise<readonly string[]>;
}

/** The model's tokenizer, as far as the concepts panel needs it. */
/** Generation settings a PNG carries (A1111 infotext, ComfyUI graph or the studio's own chunk); `sampler` is a registry name. */
export type PngSettings = {
  readonly source: string;
  readonly prompt: string;
  readonly negativePrompt: string;
  readonly steps?: number;
  readonly sampler?: string;
  readonly cfgScale?: number;
  readonly seed?: number;
  readonly width?: number;
  readonly height?: number;
  /** what could not be carried over */
  readonly notes: readonly string[];
};

/** Reads generation settings out of PNG bytes (app/ plugs in the diffusion reader); undefined when it holds none. */
export interface PngSettingsPort {
  read(bytes: Uint8Array): PngSettings | undefined;
}

export interface TokenizerPort {
  /** true when `word` (with the tokenizer's usual word-boundary marker) is exactly one token */
  isSingleToken(word: string): boolean;
  /** false when the model's vocabulary lacks `word` (a word-level tokenizer would read it as <unk>); absent = always known */
  isKnownWord?(word: string): boolean;
  /** a few words the model knows, for the "pick another word" hint */
  readonly exampleWords?: readonly string[];
  /** one class word this model accepts, shared by the class-word placeholder and the messages */
  readonly exampleClassWord?: string;
  /** a closed vocabulary (a word-level model) grouped for the model description; absent for open (BPE) vocabularies */
  readonly vocabulary?: ModelVocabulary;
  /** how many tokens the text encoder reads of `prompt` (each concept token as one, each enabled embedding's trigger as its vectors) against its limit; absent = unknown */
  countPromptTokens?(prompt: string, embeddings?: readonly PromptEmbedding[]): PromptTokens;
}

/** An enabled textual-inversion embedding as the prompt sees it: its trigger word reads as `vectors` tokens. */
export type PromptEmbedding = { readonly trigger: string; readonly vectors: number };

/** A prompt against the text encoder's length: `limit` content tokens fit (positions less start and end). */
export type PromptTokens = {
  readonly count: number;
  readonly limit: number;
  /** the first token cut off (with the tokenizer's end-of-word marker removed), when count > limit */
  readonly firstDropped?: string;
  /** words of the prompt the model's vocabulary lacks (a closed vocabulary reads each as <unk>), in prompt order */
  readonly unknown?: readonly string[];
};

/** Which EP the studio runs on: 'auto' = the faster of the EPs timed at load (runtime/backendChoice.ts). */
export type BackendPreference = 'auto' | 'webgpu' | 'wasm';

/** The user's backend switch: persists the choice and re-opens the model on that backend (app/engine.ts). */
export interface BackendSwitchPort {
  /** the stored choice at start */
  readonly initial: BackendPreference;
  /** why the choice cannot be changed here (e.g. ?ep= in the address forces it), or null */
  readonly lockedReason: string | null;
  choose(preference: BackendPreference): Promise<void>;
}

/** The words a closed-vocabulary model knows, read from its tokenizer and grouped by the world's categories. */
export type ModelVocabulary = { readonly nouns: readonly string[]; readonly colours: readonly string[]; readonly patterns: readonly string[]; readonly other: readonly string[] };

/** Model snapshots kept in browser storage (OPFS in the browser: workers/modelSnapshots.ts). */
export interface ModelSnapshotPort {
  /** Removes snapshot `id` and its files; resolves when it is gone (also when it was never there). */
  forget(id: string): Promise<void>;
  /** re-opens the studio on the default model now, in a fresh engine (absent: the default model loads at the next reload) */
  openDefault?(): Promise<void>;
}

/** Key–value storage for the project (IndexedDB in the browser, a Map in tests). Values are JSON strings. */
export interface StoragePort {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
