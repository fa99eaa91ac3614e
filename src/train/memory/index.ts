// Entry of the memory planner: planMemory for graphs and model configs, profiles for instant
// re-planning in the UI, and the data types. Re-exported by src/train/index.ts; import from there.
export { ALIAS_OPS, INPLACE_OPS, schedule, sweep, valueBytes } from './liveness';
export type { LiveBuffer, LivenessOptions, Schedule, SweepResult } from './liveness';
export { ortExecutionOrder } from './ortOrder';
export { isBackwardNode, recomputedBuffers, unetBlockSegment, unetLayerSegment } from './segments';
export type { SegmentOf } from './segments';
export { graphCandidates, kernelScratch, modelCandidates, persistentBreakdown, planMemory, stepGraph, strategyPeaks, TRAIN_DATA_INPUTS } from './planMemory';
export type { GraphSource, ModelSource, PlanOptions } from './planMemory';
export { buildMemoryProfile, planFromProfile } from './profile';
export type { MemoryProfile, ProfileRequest } from './profile';
export { SD15_MEMORY_PROFILE } from './sd15Profile';
export { choosePlan, formatBytes, planRecompute, planRun, sortCandidates, totalBytes } from './strategy';
export type { RunPlan } from './strategy';
export { DEFAULT_BUDGET_BYTES, RESOLUTION_LADDER } from './types';
export type { Candidate, MemoryBreakdown, MemoryPlan, StrategyKind } from './types';
