// Entry of the optimizer graph builders (re-exported by src/onnx/index.ts): AdamW, Adam, SGD, accumulation,
// and graph composition. Pure graph building; never runs anything.
export { buildAdamWGraph } from './adamw';
export type { AdamWOptions } from './adamw';
export { buildAdamGraph } from './adam';
export type { AdamOptions } from './adam';
export { buildSgdGraph } from './sgd';
export type { SgdOptions } from './sgd';
export { ACC_SLOT, buildAccumulateGraph } from './accumulate';
export { composeGraphs } from './compose';
export type { ComposeOptions } from './compose';
export { gradName, nextName, slotName } from './types';
export type { GradPrepOptions, OptimizerGraph, ParamSpec } from './types';
