// Persistence slice: save/restore the project through the injected StoragePort, export/import a project file.
// Storage failures become a visible persistence message, never an exception in React.
// Reference: the studio's persistence and export, projectFile.ts.
import { createHistory } from '../../editor/index';
import { describeError } from '../../lib/errors';
import { bundleFiles, isZip, splitBundle } from '../projectBundle';
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
  /** The project with the trained concept packs in use, as a stored ZIP (projectBundle.ts); null (and why) when no archive port is connected. */
  exportProjectArchive(): Promise<Uint8Array | null>;
  /**
   * A picked file: a project archive (project + packs: the packs are checked and applied by the engine, then the
   * project replaces the current one) or a JSON project file. Anything bad refuses the whole file and keeps all.
   */
  importProjectFile(name: string, bytes: Uint8Array): Promise<boolean>;
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
  // autosave transitions keep a notice ("Project imported …"): the import's own changes schedule an autosave right
  // after it, which must not wipe the message; an earlier save error's message is cleared by the next save
  const setSave = (saveStatus: StudioData['persistence']['saveStatus']): void =>
    set((s) => ({ persistence: { ...s.persistence, saveStatus, persistenceMessage: s.persistence.saveStatus === 'error' ? null : s.persistence.persistenceMessage } }));
  const setImportError = (importError: string | null): void => set((s) => ({ persistence: { ...s.persistence, importError } }));
  return {
    markUnsaved() {
      if (get().persistence.saveStatus !== 'pending') setSave('pending');
    },
    async saveProject() {
      if (!deps.storage) return;
      setSave('saving');
      try {
        await deps.storage.set(PROJECT_KEY, JSON.stringify(toProjectFile(get())));
        setSave('saved');
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
    async exportProjectArchive() {
      if (!deps.archive) {
        setStatus(get().persistence.saveStatus, 'Exporting with the trained concepts needs the archive writer, which is not connected here; "Export project" writes the project alone.');
        return null;
      }
      const packs = (await deps.engine?.packsInUse?.().catch(() => [])) ?? [];
      return deps.archive.write(bundleFiles(JSON.stringify(toProjectFile(get())), packs));
    },
    async importProjectFile(name, bytes) {
      if (!isZip(bytes)) return get().importProject(new TextDecoder().decode(bytes));
      if (isTrainingActive(get())) {
        setImportError(`Not imported: ${LOCKED_WHILE_TRAINING}`);
        return false;
      }
      try {
        if (!deps.archive) throw new Error(`${name} is a ZIP archive, and no archive reader is connected here`);
        const { projectJson, packs } = splitBundle(deps.archive.read(bytes, name), name);
        const file = parseProjectFile(projectJson);
        if (packs.length > 0 && !deps.engine?.importPacks) throw new Error(`${name} carries ${packs.length} concept pack(s), and no engine is loaded to take them`);
        const tokens = packs.length > 0 ? await deps.engine!.importPacks!(packs, name) : [];
        set(applyFile(file, false));
        set((s) => ({ training: { ...s.training, learnedTokens: [...new Set([...s.training.learnedTokens, ...tokens])], appliedRunId: null } }));
        setImportError(null);
        setStatus('idle', tokens.length > 0 ? `Project imported with its trained concepts: ${tokens.join(', ')}.` : 'Project imported (it carried no trained concepts).');
        return true;
      } catch (e) {
        setImportError(`Not imported: ${describeError(e)}`);
        return false;
      }
    },
  };
}
