// Public entry of the studio state: the store factory, ports, pure rules and selectors.
// ui/ and app/ import only this file. No React here (docs/house-style.md §10).
export { createStudioStore } from './createStudioStore';
export type { StudioDeps, StudioState, StudioStore } from './createStudioStore';
export * from './ports';
export * from './types';
export * from './concepts';
export * from './image';
export * from './presets';
export * from './selectors';
export * from './projectFile';
export * from './limits';
export { memoryStorage } from './memoryStorage';
export { createToolContext } from './toolContext';
export { ENGINE_UNAVAILABLE } from './engineMessages';
export { initialStudioData } from './initialState';
export { PROJECT_KEY } from './slices/persistenceSlice';
export { MIN_BRUSH_RADIUS, MAX_BRUSH_RADIUS } from './slices/editorSlice';
export { TRAIN_MASK_RESOLUTION } from './slices/trainingSlice';
export type { ReferenceInput } from './slices/projectSlice';
export * from './overlap';
export { MAX_RUNS, RUNS_KEY, resumableRun } from './runs';
export type { RunRecord } from './runs';
export { galleryFileName, GALLERY_INDEX_KEY, MAX_GALLERY } from './gallery';
export type { GalleryItem } from './gallery';
export { createPauseSwitch } from './pauseSwitch';
export type { PauseSwitch } from './pauseSwitch';
export { exampleToProject } from './example';
export type { ExampleConcept, ExamplePort, ExampleProject } from './example';
