// Persistence slice: save/restore the project through the injected StoragePort, export/import a project file.
// Storage failures become a visible persistence message, never an exception in React.
// Reference: the studio's persistence and export, projectFile.ts.
import { createHistory } from '../../editor/index';
import { describeError } from '../../lib/errors';
import { parseProjectFile, toProjectFile } from '../projectFile';
import type { ProjectFile } from '../projectFile';
import type { StudioData } from '../types';
import { isTrainingActive, LOCKED_WHILE_TRAINING } from '../selectors';
import type { SliceContext } from './sliceTypes';

export const PROJECT_KEY = 'project/current';

export type PersistenceActions = {
  /** Marks the project as changed since the last save (autosave pending). */
  markUnsaved(): void;
  /** Writes the project to storage; no-op without storage. */
  saveProject(): Promise<void>;
  /** Restores the project from storage; returns true when one was found and applied. */
  loadProject(): Promise<boolean>;
  /** The project as a JSON string (image inlined as a data URL). */
  exportProject(): string;
  /** Replaces the project with the file's; on a bad file keeps the current one and shows why. */
  importProject(text: string): boolean;
};

/** A project's sampleEvery, or 0 (off) when absent or not a positive integer. */
const validSampleEvery = (n: unknown): number => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0);

/** The project of `f`; the model in use comes with it only from storage (`withModel`): an imported file keeps this browser's model. */
function applyFile(f: ProjectFile, withModel: boolean): (s: StudioData) => Partial<StudioData> {
  return (s) => ({
    project: { ...s.project, reference: f.reference, concepts: f.concepts, referenceNotice: null, model: withModel ? (f.model ?? { kind: 'default' }) : s.project.model },
    editor: { ...s.editor, masks: createHistory(f.masks), activeConceptId: f.activeConceptId ?? f.concepts[0]?.id ?? null, preview: null },
    generation: { ...s.generation, settings: { ...s.generation.settings, ...f.generation } },
    training: { ...s.training, preset: f.training.preset, settings: { ...s.training.settings, ...f.training.settings }, sampleEvery: validSampleEvery(f.training.sampleEvery) },
  });
}

export function createPersistenceSlice({ set, get, deps }: SliceContext): PersistenceActions {
  const setStatus = (saveStatus: StudioData['persistence']['saveStatus'], persistenceMessage: string | null): void =>
    set((s) => ({ persistence: { ...s.persistence, saveStatus, persistenceMessage } }));
  const setImportError = (importError: string | null): void => set((s) => ({ persistence: { ...s.persistence, importError } }));
  return {
    markUnsaved() {
      if (get().persistence.saveStatus !== 'pending') setStatus('pending', null);
    },
    async saveProject() {
      if (!deps.storage) return;
      setStatus('saving', null);
      try {
        await deps.storage.set(PROJECT_KEY, JSON.stringify(toProjectFile(get())));
        setStatus('saved', null);
      } catch (e) {
        setStatus('error', `Could not save the project in this browser: ${describeError(e)}. Export it to keep a copy.`);
      }
    },
    async loadProject() {
      if (!deps.storage) return false;
      try {
        const text = await deps.storage.get(PROJECT_KEY);
        if (text === undefined) return false;
        set(applyFile(parseProjectFile(text), true));
        setStatus('saved', null);
        return true;
      } catch (e) {
        setStatus('error', `The saved project could not be restored: ${describeError(e)}. Starting fresh.`);
        return false;
      }
    },
    exportProject() {
      return JSON.stringify(toProjectFile(get()));
    },
    importProject(text) {
      if (isTrainingActive(get())) {
        setImportError(`Not imported: ${LOCKED_WHILE_TRAINING}`);
        return false;
      }
      try {
        set(applyFile(parseProjectFile(text), false));
        setImportError(null);
        setStatus('idle', 'Project imported.');
        return true;
      } catch (e) {
        // its own field: an autosave finishing right after (of earlier edits) must not wipe the message
        setImportError(describeError(e));
        return false;
      }
    },
  };
}
