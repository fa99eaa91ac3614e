// Engine slice: which backend the runtime detected (or why detection failed), whether an engine exists, the notice
// of loading one's own model, and which model the project uses (a kept snapshot can be forgotten here). The store
// never detects or loads anything itself; app/ reports here. Reference: the studio's model panel, runtime/types.ts BackendInfo.
import { describeError } from '../../lib/errors';
import type { BackendInfo, BackendPreference } from '../ports';
import type { ModelRef, Notice } from '../types';
import { isTrainingActive, modelSwitchNotice } from '../selectors';
import type { SliceContext } from './sliceTypes';

export type EngineActions = {
  setBackend(info: BackendInfo): void;
  setBackendError(message: string): void;
  /** progress, success or refusal of loading a model from the user's files (null clears it) */
  setModelNotice(notice: Notice | null): void;
  /** remembers the model in use with the project (app/ calls it after keeping or failing to re-open a snapshot) */
  setModelInUse(model: ModelRef): void;
  /**
   * "Forget cached model": removes the kept snapshot of the model in use from browser storage and makes the project
   * use the default model again, re-opened at once when the port can (ModelSnapshotPort.openDefault) and no run or
   * generation is active, else at the next reload. Failures become the notice.
   */
  forgetCachedModel(): Promise<void>;
  /**
   * The Model panel's backend switch: remembers `preference` and re-opens the model on it (through
   * BackendSwitchPort). Refused while a training run or a generation is active (the notice says so).
   */
  chooseBackend(preference: BackendPreference): Promise<void>;
};

export function createEngineSlice({ set, get, deps }: SliceContext): EngineActions {
  const notice = (modelNotice: Notice) => set((s) => ({ engine: { ...s.engine, modelNotice } }));
  return {
    setBackend(info) {
      set((s) => ({ engine: { ...s.engine, backend: info, backendError: null } }));
    },
    setBackendError(message) {
      set((s) => ({ engine: { ...s.engine, backend: null, backendError: message } }));
    },
    setModelNotice(modelNotice) {
      set((s) => ({ engine: { ...s.engine, modelNotice } }));
    },
    setModelInUse(model) {
      set((s) => ({ project: { ...s.project, model } }));
    },
    async chooseBackend(preference) {
      const sw = deps.backendSwitch;
      if (!sw) return notice({ kind: 'error', text: 'The backend cannot be switched here (no switch is connected).' });
      if (sw.lockedReason) return notice({ kind: 'error', text: sw.lockedReason });
      const s = get();
      const isBusy = isTrainingActive(s) || s.generation.status.kind === 'running';
      if (isBusy) return notice({ kind: 'error', text: 'Finish or cancel the training run or generation first; the backend switch re-opens the model.' });
      set((st) => ({ engine: { ...st.engine, backendPreference: preference, backend: null } }));
      try {
        await sw.choose(preference);
      } catch (e) {
        notice({ kind: 'error', text: `Could not switch the backend: ${describeError(e)}.` });
      }
    },
    async forgetCachedModel() {
      const model = get().project.model;
      if (model.kind !== 'snapshot') return;
      try {
        await deps.modelSnapshots?.forget(model.id);
      } catch (e) {
        notice({ kind: 'error', text: `Could not remove "${model.name}" from browser storage: ${describeError(e)}. It is still kept and re-opens after a reload.` });
        return;
      }
      set((s) => ({ project: { ...s.project, model: { kind: 'default' } } }));
      const forgot = `Forgot "${model.name}": its files were removed from browser storage.`;
      const open = deps.modelSnapshots?.openDefault;
      const s = get();
      if (!open || isTrainingActive(s) || s.generation.status.kind === 'running') {
        return notice({ kind: 'info', text: `${forgot} It stays loaded until you reload the page${open ? ' (a run is active)' : ''}; then the default model loads.` });
      }
      notice({ kind: 'info', text: `${forgot} Loading the default model…` });
      const before = { modelName: s.engine.modelName, learnedTokens: s.training.learnedTokens };
      try {
        await open();
      } catch (e) {
        return notice({ kind: 'error', text: `${forgot} The default model could not be loaded: ${describeError(e)}. Reload the page to try again.` });
      }
      const after = get();
      const hidden = after.engine.modelName ? modelSwitchNotice(before, { modelName: after.engine.modelName, learnedTokens: after.training.learnedTokens }) : null;
      notice({ kind: 'info', text: `${forgot} The default model is loaded.${hidden ? ` ${hidden.text}` : ''}` });
    },
  };
}
