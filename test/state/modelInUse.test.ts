// The model in use as project state: saved and restored with the project (older files: the default model), kept
// out of imported files, validated when read; "Forget cached model" removes the snapshot through the port, or
// says why it could not and keeps it.
import { describe, expect, it } from 'vitest';
import { createStudioStore, memoryStorage, parseProjectFile } from '../../src/state/index';
import type { ModelSnapshotPort } from '../../src/state/index';

const SNAPSHOT = { kind: 'snapshot', id: 'abc-1', name: 'my-model' } as const;

/** A port recording forgotten ids; `failure` makes forget reject. */
function recordingSnapshots(failure?: Error): ModelSnapshotPort & { forgotten: string[] } {
  const forgotten: string[] = [];
  return {
    forgotten,
    forget: async (id) => {
      if (failure) throw failure;
      forgotten.push(id);
    },
  };
}

describe('when the project remembers its model', () => {
  it('starts on the default model and restores a kept snapshot after a reload', async () => {
    const storage = memoryStorage();
    const a = createStudioStore({ storage });
    expect(a.getState().project.model).toEqual({ kind: 'default' });
    a.getState().setModelInUse(SNAPSHOT);
    await a.getState().saveProject();
    const b = createStudioStore({ storage });
    expect(await b.getState().loadProject()).toBe(true);
    expect(b.getState().project.model).toEqual(SNAPSHOT);
  });

  it('reads older project files without a model as the default model', async () => {
    const storage = memoryStorage();
    const old = JSON.parse(createStudioStore().getState().exportProject()) as Record<string, unknown>;
    delete old.model;
    await storage.set('project/current', JSON.stringify(old));
    const b = createStudioStore({ storage });
    b.getState().setModelInUse(SNAPSHOT);
    expect(await b.getState().loadProject()).toBe(true);
    expect(b.getState().project.model).toEqual({ kind: 'default' });
  });

  it('keeps this browser\'s model when a project file is imported', () => {
    const other = createStudioStore();
    other.getState().setModelInUse({ kind: 'snapshot', id: 'elsewhere', name: 'their-model' });
    const b = createStudioStore();
    b.getState().setModelInUse(SNAPSHOT);
    expect(b.getState().importProject(other.getState().exportProject())).toBe(true);
    expect(b.getState().project.model).toEqual(SNAPSHOT);
  });

  it('refuses a file whose model is malformed, naming the field', () => {
    const file = JSON.parse(createStudioStore().getState().exportProject()) as Record<string, unknown>;
    expect(() => parseProjectFile(JSON.stringify({ ...file, model: { kind: 'cloud' } }))).toThrow('"model.kind" must be one of "default", "snapshot", got "cloud"');
    expect(() => parseProjectFile(JSON.stringify({ ...file, model: { kind: 'snapshot', name: 'x' } }))).toThrow('"model.id" must be a string of at most 128 characters, got undefined');
  });
});

describe('when the user forgets the cached model', () => {
  it('removes the snapshot through the port and goes back to the default model at the next reload', async () => {
    const modelSnapshots = recordingSnapshots();
    const store = createStudioStore({ modelSnapshots });
    store.getState().setModelInUse(SNAPSHOT);
    await store.getState().forgetCachedModel();
    expect(modelSnapshots.forgotten).toEqual(['abc-1']);
    expect(store.getState().project.model).toEqual({ kind: 'default' });
    expect(store.getState().engine.modelNotice).toEqual({ kind: 'info', text: 'Forgot "my-model": its files were removed from browser storage. It stays loaded until you reload the page; then the default model loads.' });
  });

  it('re-opens the default model at once through the port, and says which concepts it has no pack for', async () => {
    const modelSnapshots = recordingSnapshots();
    const opened: string[] = [];
    const store = createStudioStore({ modelSnapshots: { ...modelSnapshots, forget: (id: string) => modelSnapshots.forget(id), openDefault: async () => {
      opened.push('default');
      // what app/engine.ts reportEngine does once the default model's engine is ready
      store.setState((s) => ({ engine: { ...s.engine, modelName: 'default model' }, training: { ...s.training, learnedTokens: [] } }));
    } } });
    store.getState().setModelInUse(SNAPSHOT);
    store.setState((s) => ({ engine: { ...s.engine, modelName: 'my-model' }, training: { ...s.training, learnedTokens: ['<c1>'] } }));
    await store.getState().forgetCachedModel();
    expect(opened).toEqual(['default']);
    expect(store.getState().project.model).toEqual({ kind: 'default' });
    const text = store.getState().engine.modelNotice?.text ?? '';
    expect(text).toMatch(/^Forgot "my-model": its files were removed from browser storage\. The default model is loaded\. <c1> was trained on my-model/);
  });

  it('says why the default model could not open at once', async () => {
    const failing = recordingSnapshots();
    const store = createStudioStore({ modelSnapshots: { forget: (id: string) => failing.forget(id), openDefault: async () => { throw new Error('out of memory'); } } });
    store.getState().setModelInUse(SNAPSHOT);
    await store.getState().forgetCachedModel();
    expect(store.getState().engine.modelNotice).toEqual({ kind: 'error', text: 'Forgot "my-model": its files were removed from browser storage. The default model could not be loaded: out of memory. Reload the page to try again.' });
  });

  it('says why when storage refuses, and keeps the snapshot', async () => {
    const store = createStudioStore({ modelSnapshots: recordingSnapshots(new Error('NoModificationAllowedError: the file is locked')) });
    store.getState().setModelInUse(SNAPSHOT);
    await store.getState().forgetCachedModel();
    expect(store.getState().project.model).toEqual(SNAPSHOT);
    expect(store.getState().engine.modelNotice).toEqual({ kind: 'error', text: 'Could not remove "my-model" from browser storage: NoModificationAllowedError: the file is locked. It is still kept and re-opens after a reload.' });
  });

  it('does nothing when the project uses the default model', async () => {
    const modelSnapshots = recordingSnapshots();
    const store = createStudioStore({ modelSnapshots });
    await store.getState().forgetCachedModel();
    expect(modelSnapshots.forgotten).toEqual([]);
    expect(store.getState().engine.modelNotice).toBeNull();
  });
});
