// The types every slice shares: the store's full state, the injected dependencies, and the slice signature.
// Types only. Reference: zustand slices pattern, xyflow's store (thin actions: read → pure call → set).
import type { StoreApi } from 'zustand/vanilla';
import type { ArchivePort, BackendSwitchPort, EnginePort, ModelSnapshotPort, PngSettingsPort, StoragePort, TokenizerPort } from '../ports';
import type { StudioData } from '../types';
import type { ExamplePort } from '../example';
import type { ProjectActions } from './projectSlice';
import type { EditorActions } from './editorSlice';
import type { EngineActions } from './engineSlice';
import type { GenerationActions } from './generationSlice';
import type { EditActions } from './editSlice';
import type { NetworksActions } from './networksSlice';
import type { TrainingActions } from './trainingSlice';
import type { PersistenceActions } from './persistenceSlice';
import type { GalleryActions } from './gallerySlice';

/** What the composition root injects. Every field may be null: the store then shows "not available". */
export type StudioDeps = {
  readonly engine: EnginePort | null;
  readonly tokenizer: TokenizerPort | null;
  readonly storage: StoragePort | null;
  /** removes kept model snapshots ("Forget cached model") */
  readonly modelSnapshots: ModelSnapshotPort | null;
  /** the Model panel's backend switch (null: no switch, e.g. in tests) */
  readonly backendSwitch?: BackendSwitchPort | null;
  /** makes the one-click example project (null: no example) */
  readonly examples?: ExamplePort | null;
  /** a fresh 32-bit seed for "randomise" (crypto in the browser, a counter in tests) */
  readonly randomSeed: () => number;
  /** reads settings from a dropped PNG (absent: dropping a PNG is refused with a message) */
  readonly pngSettings?: PngSettingsPort | null;
  /** writes and reads project archives with their concept packs (absent: projects export as JSON only) */
  readonly archive?: ArchivePort | null;
  /** the clock for run-history times (absent: the system clock) */
  readonly now?: () => Date;
};

export type StudioActions = ProjectActions & EditorActions & EngineActions & GenerationActions & EditActions & NetworksActions & TrainingActions & PersistenceActions & GalleryActions;
export type StudioState = StudioData & StudioActions;
export type StudioStore = StoreApi<StudioState>;

export type SliceContext = {
  readonly set: (update: (s: StudioState) => Partial<StudioData>) => void;
  readonly get: () => StudioState;
  readonly deps: StudioDeps;
};
