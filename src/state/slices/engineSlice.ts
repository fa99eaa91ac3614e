// Engine slice: which backend the runtime detected (or why detection failed), whether an engine exists, and the
// notice of loading one's own model. The store never detects or loads anything itself; app/ reports here.
// Reference: issue 7 §4, runtime/types.ts BackendInfo.
import type { BackendInfo } from '../ports';
import type { Notice } from '../types';
import type { SliceContext } from './sliceTypes';

export type EngineActions = {
  setBackend(info: BackendInfo): void;
  setBackendError(message: string): void;
  /** progress, success or refusal of loading a model from the user's files (null clears it) */
  setModelNotice(notice: Notice | null): void;
};

export function createEngineSlice({ set }: SliceContext): EngineActions {
  return {
    setBackend(info) {
      set((s) => ({ engine: { ...s.engine, backend: info, backendError: null } }));
    },
    setBackendError(message) {
      set((s) => ({ engine: { ...s.engine, backend: null, backendError: message } }));
    },
    setModelNotice(notice) {
      set((s) => ({ engine: { ...s.engine, modelNotice: notice } }));
    },
  };
}
