// Data types of the studio state: concepts, reference image, statuses. Plain serializable data.
// No behaviour here; no React.
import type { History, MaskLayer, MaskOp, PixelSquare, ToolId, View } from '../editor/index';
import type { GalleryItem } from './gallery';
import type { RunRecord } from './runs';
import type { PaceBook } from './runPlan';
import type { BackendInfo, BackendPreference, NetworkItem, TokenizerPort, GeneratedImage, GenerateProgress, SamplerName, TrainAttention, TrainProgress, TrainSample, TrainSettings } from './ports';

export type Concept = {
  readonly id: string;
  /** learned token, e.g. "<cat1>"; unique, safe as a file name */
  readonly token: string;
  /** the class noun the token binds to, e.g. "cat"; must be one tokenizer token */
  readonly classWord: string;
  /** mask colour, CSS hex */
  readonly color: string;
};

/** Crop square in the reference image's pixels. */
export type Crop = { readonly x: number; readonly y: number; readonly size: number };

export type ReferenceImage = {
  readonly name: string;
  /** the (possibly downscaled) image as a data URL */
  readonly dataUrl: string;
  readonly width: number;
  readonly height: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
  readonly crop: Crop;
};

/** concept id → that concept's mask layer */
export type MaskDoc = Readonly<Record<string, MaskLayer>>;

/** Where a long action stands. 'unavailable' means the engine is missing, not that it failed. */
export type RunStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'done' }
  | { readonly kind: 'cancelled'; /** what a cancelled run kept, e.g. "trained 3 of 250 steps; …" */ readonly kept?: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string };

export type Notice = {
  readonly kind: 'info' | 'error';
  readonly text: string;
  /** an action the message offers: 'clear-masks' after a new reference arrived over painted masks */
  readonly offer?: 'clear-masks';
};

/**
 * The model a project uses: the studio's own (default, or the demo without it), or a model the user loaded from
 * their files and the studio kept in browser storage as snapshot `id` (app/ re-opens it at start-up).
 */
export type ModelRef = { readonly kind: 'default' } | { readonly kind: 'snapshot'; readonly id: string; readonly name: string };

export type ProjectState = {
  readonly reference: ReferenceImage | null;
  readonly referenceNotice: Notice | null;
  readonly concepts: readonly Concept[];
  /** the model in use, remembered across reloads */
  readonly model: ModelRef;
};

export type EditorState = {
  readonly masks: History<MaskDoc>;
  readonly activeConceptId: string | null;
  readonly tool: ToolId;
  /** brush and eraser radius in training-square px */
  readonly brushRadius: number;
  /** soft-brush feather in training-square px (0 = hard edge) */
  readonly brushFeather: number;
  /** the magic wand's colour tolerance (0–255) and whether a click adds or erases the region */
  readonly wandTolerance: number;
  readonly wandMode: 'add' | 'erase';
  /** the reference's pixels over the training square (decoded by the UI, not persisted); `key` names the image and crop */
  readonly referencePixels: { readonly key: string; readonly pixels: PixelSquare } | null;
  /** 0–1 opacity of the mask overlay */
  readonly maskOpacity: number;
  readonly view: View;
  /** size of the canvas in stage px, reported by the UI (for fit and centred zoom) */
  readonly stageSize: { readonly width: number; readonly height: number };
  readonly preview: MaskOp | null;
};

export type EngineState = {
  readonly backend: BackendInfo | null;
  readonly backendError: string | null;
  readonly modelName: string | null;
  readonly isEngineAvailable: boolean;
  /** the model's tokenizer when one is loaded (not persisted) */
  readonly tokenizer: TokenizerPort | null;
  /** loading one's own model: progress, success or why it was refused */
  readonly modelNotice: Notice | null;
  /** what the loaded model draws (its model card's first paragraph), null when unknown */
  readonly modelDescription?: string | null;
  /** the backend the user asked for ('auto' = the faster measured one), persisted by app/ */
  readonly backendPreference: BackendPreference;
};

export type GenerationSettings = {
  readonly prompt: string;
  readonly negativePrompt: string;
  readonly seed: number;
  readonly isSeedLocked: boolean;
  readonly steps: number;
  readonly guidance: number;
  readonly sampler: SamplerName;
  readonly batch: number;
  readonly size: number;
};

export type GenerationState = {
  readonly settings: GenerationSettings;
  readonly status: RunStatus;
  readonly progress: GenerateProgress | null;
  readonly images: readonly GeneratedImage[];
};

/** The image the edit view repaints: a square of a source image (reference crop, a generated image, an upload). */
export type EditSource = {
  readonly kind: 'reference' | 'generated' | 'upload';
  readonly dataUrl: string;
  /** the square in the source image's pixels that is edited (mask coordinates are pixels of this square) */
  readonly crop: { readonly x: number; readonly y: number; readonly size: number };
  /** for the UI: "reference", "generated image 2 (seed 5)", the upload's file name */
  readonly label: string;
};

/** The edit view (inpainting, image-to-image); prompt, seed, sampler, CFG and size come from the generation settings. */
export type EditState = {
  readonly source: EditSource | null;
  /** 'inpaint' repaints the painted region; 'img2img' repaints the whole image */
  readonly mode: 'inpaint' | 'img2img';
  /** the region to repaint, as mask operations in the source square's pixels, with undo/redo */
  readonly mask: History<MaskLayer>;
  readonly preview: MaskOp | null;
  readonly view: View;
  /** A1111 "Denoising strength" in [0, 1] */
  readonly strength: number;
  /** A1111 "Mask blur" (px at the generation size) */
  readonly maskBlur: number;
  /** A1111 "Inpaint not masked" */
  readonly invertMask: boolean;
  /** A1111 "Inpaint area: Only masked": the mask's box ± padding is inpainted at the generation size and pasted back */
  readonly onlyMasked: boolean;
  /** A1111 "Only masked padding, pixels" (at the source square's generation size) */
  readonly maskedPadding: number;
  /** the source square's decoded pixels for the wand (set by ui/, never saved); `key` as referencePixelsKey */
  readonly sourcePixels?: { readonly key: string; readonly pixels: PixelSquare } | null;
  readonly status: RunStatus;
  readonly progress: GenerateProgress | null;
  readonly images: readonly GeneratedImage[];
};

export type TrainingState = {
  readonly preset: string;
  readonly settings: TrainSettings;
  readonly status: RunStatus;
  readonly progress: TrainProgress | null;
  /** every loss report of the current (or last) run, in step order, for the loss chart */
  readonly lossHistory: readonly LossPoint[];
  /** the latest attention maps of the current (or last) run */
  readonly attention: TrainAttention | null;
  /** every attention snapshot of the current run, oldest first (the concept view's curves and step slider) */
  readonly attentionHistory: readonly TrainAttention[];
  /** sample an image every this many steps during training (0 = off), with the generation settings */
  readonly sampleEvery: number;
  /** the latest image sampled during the current (or last) run */
  readonly sample: TrainSample | null;
  readonly learnedTokens: readonly string[];
  /** where the last finished run's steps ran ("WebGPU · <adapter>", "wasm"); null before one finishes in this page */
  readonly trainedOn: string | null;
  /** the last finished run's export usage text (per tool: files and prompt); absent or null before one finishes in this page */
  readonly exportUsage?: string | null;
  /** the run history, newest first (stored under RUNS_KEY; restoreRuns reads it back) */
  readonly runs: readonly RunRecord[];
  /** the run in flight, null when none */
  readonly activeRunId: string | null;
  /** the run whose concept pack is in use (the latest finished one, or the one picked in the history) */
  readonly appliedRunId: string | null;
  /** Cancel was pressed: the run stops after the optimiser step in flight */
  readonly isStopping: boolean;
  /** paces measured by earlier runs per model + backend, and regularisation images rendered per set (runPlan.ts; stored under PACE_KEY) */
  readonly paceBook: PaceBook;
};

/** The generation panel's LoRA and embedding files (NetworksPort), in list order. */
export type NetworksState = {
  readonly items: readonly NetworkItem[];
  /** what the last add / remove / restore did, or why a file was refused */
  readonly notice: Notice | null;
  readonly isAdding: boolean;
};

export type LossPoint = { readonly step: number; readonly losses: Readonly<Record<string, number>> };

export type PersistenceState = {
  /** 'pending': changed since the last save, a save is scheduled */
  readonly saveStatus: 'idle' | 'pending' | 'saving' | 'saved' | 'error';
  readonly persistenceMessage: string | null;
  /** why the last project import was refused; kept until the next import (autosaves do not clear it) */
  readonly importError?: string | null;
};

export type GalleryState = {
  /** kept generated images, newest first */
  readonly items: readonly GalleryItem[];
  /** why the gallery could not be saved or read, or null */
  readonly notice: string | null;
};

export type StudioData = {
  readonly project: ProjectState;
  readonly editor: EditorState;
  readonly engine: EngineState;
  readonly generation: GenerationState;
  readonly edit: EditState;
  readonly networks: NetworksState;
  readonly training: TrainingState;
  readonly persistence: PersistenceState;
  readonly gallery: GalleryState;
};
