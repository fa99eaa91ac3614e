// Public entry of the ONNX toolkit: IR types, the builder and its opset, (de)serialization, passes, autodiff.
// Pure TypeScript: no React, no DOM, no onnxruntime. Other folders import only from here.
export * from './ir/types';
export * from './ir/dtype';
export { GraphBuilder } from './build/GraphBuilder';
export type { BuildOptions } from './build/GraphBuilder';
export { Var } from './build/Var';
export { attr } from './build/attrs';
export { lookupSchema, registeredOpTypes } from './build/registry';
export type { OpSchema, ValueSpec } from './build/schema';
export * as op from './build/opset/index';
export { encodeModel } from './proto/encode';
export * from './optim/index';
export { buildGradientGraph, stopGradient } from './autodiff/backward';
export type { BackwardOptions, BackwardResult } from './autodiff/backward';
export { gradientOpTypes } from './autodiff/rules/index';
export { decodeModel } from './proto/decode';
export type { DecodeLimits, DecodeOptions } from './proto/limits';
export { DEFAULT_LIMITS } from './proto/limits';
export { externalize } from './proto/externalize';
export { validateGraph, validateModel } from './passes/validate';
export type { ExternalizeOptions } from './proto/externalize';
