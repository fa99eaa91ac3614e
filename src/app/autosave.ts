// Restores the saved project once, then saves it (debounced) whenever the project, masks or settings change.
// Never saves before the restore finished, so a reload cannot overwrite the saved project with a blank one.
// Reference: the studio's persistence and export.
import type { StudioState, StudioStore } from '../state/index';

const DEBOUNCE_MS = 400;

function persisted(s: StudioState): unknown[] {
  return [s.project.reference, s.project.concepts, s.project.model, s.editor.masks.present, s.editor.activeConceptId, s.generation.settings, s.training.settings, s.training.preset, s.training.sampleEvery];
}

/** Starts autosave once `restored` (the project restore, loadProject() unless given) settled; returns a stop function. */
export function startAutosave(store: StudioStore, restored: Promise<unknown> = store.getState().loadProject()): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = (): void => {};
  let isStopped = false;
  void restored
    .catch(() => undefined)
    .finally(() => {
      if (isStopped) return;
      unsubscribe = store.subscribe((s, prev) => {
        const a = persisted(s);
        const b = persisted(prev);
        if (a.every((v, k) => v === b[k])) return;
        store.getState().markUnsaved();
        clearTimeout(timer);
        timer = setTimeout(() => void store.getState().saveProject(), DEBOUNCE_MS);
      });
    });
  return () => {
    isStopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
