// Persistence: save → reload into a fresh store restores image, masks, concepts and settings; export/import
// round-trips; bad files and failing storage give readable messages and keep the current project.
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createStudioStore, memoryStorage } from '../../src/state/index';
import type { StoragePort, StudioStore } from '../../src/state/index';

function filled(storage: StoragePort): StudioStore {
  const store = createStudioStore({ storage });
  const s = store.getState();
  s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 80, height: 64, originalWidth: 80, originalHeight: 64 });
  s.moveCrop(16, 0);
  s.updateConcept('c1', { token: '<cat1>', classWord: 'cat' });
  s.addConcept();
  s.updateConcept('c2', { token: '<dog1>', classWord: 'dog' });
  s.commitOp({ kind: 'fill', at: imagePoint(3, 3) });
  s.updateGeneration({ prompt: 'a <cat1> with a <dog1>', seed: 42, isSeedLocked: true });
  s.choosePreset('quick');
  s.setSampleEvery(5);
  return store;
}

describe('persistence', () => {
  it('restores the saved project into a fresh store', async () => {
    const storage = memoryStorage();
    const a = filled(storage);
    await a.getState().saveProject();
    expect(a.getState().persistence.saveStatus).toBe('saved');
    const b = createStudioStore({ storage });
    expect(await b.getState().loadProject()).toBe(true);
    const s = b.getState();
    expect(s.project.reference?.crop).toEqual({ x: 16, y: 0, size: 64 });
    expect(s.project.concepts.map((c) => `${c.token} ${c.classWord}`)).toEqual(['<cat1> cat', '<dog1> dog']);
    expect(s.editor.masks.present.c2?.ops).toEqual([{ kind: 'fill', at: { x: 3, y: 3 } }]);
    expect(s.generation.settings).toMatchObject({ prompt: 'a <cat1> with a <dog1>', seed: 42, isSeedLocked: true });
    expect(s.training.preset).toBe('quick');
    expect(s.training.sampleEvery).toBe(5);
  });

  it('reports an empty storage as "nothing to restore"', async () => {
    expect(await createStudioStore({ storage: memoryStorage() }).getState().loadProject()).toBe(false);
  });

  it('exports and imports a project file', () => {
    const text = filled(memoryStorage()).getState().exportProject();
    expect(JSON.parse(text)).toMatchObject({ format: 'disenstudio-project', version: 1 });
    const b = createStudioStore();
    expect(b.getState().importProject(text)).toBe(true);
    expect(b.getState().project.concepts).toHaveLength(2);
  });

  it('refuses a bad file with a message naming the field, keeping the project', () => {
    const b = createStudioStore();
    expect(b.getState().importProject('{"format":"disenstudio-project","version":1,"reference":null,"concepts":[]}')).toBe(false);
    expect(b.getState().persistence.importError).toMatch(/"concepts" must list 1–4/);
    expect(b.getState().importProject('not json')).toBe(false);
    expect(b.getState().persistence.importError).toMatch(/not JSON/);
    expect(b.getState().project.concepts).toHaveLength(1);
  });

  it('keeps a refused import\'s message through a later autosave, and clears it on the next good import', async () => {
    const storage = new Map<string, string>();
    const b = createStudioStore({ storage: { get: async (k) => storage.get(k), set: async (k, v) => void storage.set(k, v), delete: async (k) => void storage.delete(k) } });
    const good = b.getState().exportProject();
    expect(b.getState().importProject('not json')).toBe(false);
    await b.getState().saveProject();
    expect(b.getState().persistence.saveStatus).toBe('saved');
    expect(b.getState().persistence.importError).toMatch(/not JSON/);
    expect(b.getState().importProject(good)).toBe(true);
    expect(b.getState().persistence.importError).toBeNull();
  });

  it('keeps "Project imported." through the autosave the import itself schedules; a save error is cleared by the next save', async () => {
    const storage = new Map<string, string>();
    let failing = false;
    const b = createStudioStore({ storage: { get: async (k) => storage.get(k), set: async (k, v) => { if (failing) throw new Error('QuotaExceededError'); storage.set(k, v); }, delete: async (k) => void storage.delete(k) } });
    expect(b.getState().importProject(b.getState().exportProject())).toBe(true);
    b.getState().markUnsaved();
    await b.getState().saveProject();
    expect(b.getState().persistence).toMatchObject({ saveStatus: 'saved', persistenceMessage: 'Project imported.' });
    failing = true;
    await b.getState().saveProject();
    expect(b.getState().persistence.persistenceMessage).toMatch(/QuotaExceededError/);
    failing = false;
    await b.getState().saveProject();
    expect(b.getState().persistence).toMatchObject({ saveStatus: 'saved', persistenceMessage: null });
  });

  it('shows a storage failure instead of throwing, and survives a corrupt saved project', async () => {
    const broken: StoragePort = { get: async () => '{"format":"x"}', set: async () => Promise.reject(new Error('QuotaExceededError')), delete: async () => undefined };
    const store = createStudioStore({ storage: broken });
    await store.getState().saveProject();
    expect(store.getState().persistence).toEqual({ saveStatus: 'error', persistenceMessage: expect.stringMatching(/QuotaExceededError/) });
    expect(await store.getState().loadProject()).toBe(false);
    expect(store.getState().persistence.persistenceMessage).toMatch(/could not be restored.*"format" must be/);
  });
});
