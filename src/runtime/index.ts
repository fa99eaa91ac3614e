// Public entry of the runtime seam for browser code: the Runner/Session contracts and the onnxruntime-web
// implementation. Node code (tests, CLIs, benchmarks) imports createNodeRunner from './node' instead.
export * from './types';
export { detectBackend, initRuntime } from './web';
export type { WebRuntimeOptions } from './web';
export { isSoftwareAdapter, pickBackend, HARDWARE_MARGIN } from './backendChoice';
export type { AdapterFacts, BackendPick } from './backendChoice';
