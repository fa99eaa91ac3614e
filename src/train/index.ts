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
