// Engine slice: which backend the runtime detected (or why detection failed) and whether an engine exists.
// The store never detects anything itself; app/ calls detectBackend() and reports here.
// Reference: issue 7 §4, runtime/types.ts BackendInfo.
import type { BackendInfo } from '../ports';
import type { SliceContext } from './sliceTypes';

export type EngineActions = {
  setBackend(info: BackendInfo): void;
  setBackendError(message: string): void;
};

export function createEngineSlice({ set }: SliceContext): EngineActions {
  return {
    setBackend(info) {
      set((s) => ({ engine: { ...s.engine, backend: info, backendError: null } }));
    },
    setBackendError(message) {
      set((s) => ({ engine: { ...s.engine, backend: null, backendError: message } }));
    },
  };
}
