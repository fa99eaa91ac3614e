// Public entry of src/train (DisenDiff trainer): defaults, concepts, attention maps, losses, the training graph,
// micro-batch feeds, and the engine's TrainingSession. Other folders import only from here.
export * from './config';
export * from './concepts';
export * from './attention/postprocess';
export * from './attention/graph';
export * from './losses/softIou';
export * from './losses/disendiff';
export * from './losses/diffusionMse';
export * from './losses/maskGuidance';
export * from './losses/minSnr';
export * from './graphs/layers';
export * from './graphs/buildTrainGraph';
export * from './graphs/kvLora';
export * from './feeds/microBatch';
export * from './memory/index';
export { TrainingSession } from './engine/trainStep';
export type { TrainingSessionOptions } from './engine/trainStep';
export type { BackwardGraph, BatchFeeds, LearningRate, OptimizerSettings, StepResult } from './engine/types';
// What the studio's workers (src/workers) use of the data, loop and pack folders.
export { rgbFromBytes } from './data/image';
export type { PlanarImage } from './data/image';
export { captionStyleFor, classPrompt } from './data/captions';
export { regularisationImages } from './data/regularisation';
export type { BlobCache } from './data/regularisation';
export type { RegularisationImage } from './data/dataset';
export { packSettings, preparePersonalizeJob } from './loop/job';
export type { PersonalizeJob } from './loop/job';
export { PauseController } from './loop/PauseController';
export { personalize } from './loop/personalize';
export { decodeCheckpoint, encodeCheckpoint } from './loop/checkpoints';
export type { Checkpoint, CheckpointStore, ProgressEvent, Stepper } from './loop/types';
export { DEFAULT_LORA_RANK, exportEcosystem } from './pack/ecosystem';
export { packFromParams } from './pack/fromParams';
export { baseModelHash } from './pack/hash';
export { encodePack, loadPack } from './pack/io';
export { applyPack } from './pack/apply';
export type { AttentionSnapshot } from './loop/attentionProbe';
