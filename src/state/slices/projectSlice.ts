// Project slice: the reference image (accept, refuse, crop) and the concepts (add, remove, rename).
// Actions read → call a pure rule (concepts.ts, image.ts) → set. Never throws into React.
// Reference: the studio's reference image, concepts panel.
import { commit, emptyLayer, hasNoPaint } from '../../editor/index';
import { MAX_CONCEPTS, MIN_CONCEPTS, nextConceptDefaults } from '../concepts';
import { centredCrop, clampCrop } from '../image';
import { exampleToProject } from '../example';
import type { Concept, MaskDoc, ReferenceImage } from '../types';
import { isTrainingActive, LOCKED_WHILE_TRAINING } from '../selectors';
import type { SliceContext } from './sliceTypes';

export type ReferenceInput = Omit<ReferenceImage, 'crop'>;

export type ProjectActions = {
  /** Accepts a decoded (possibly downscaled) image; centres the crop and tells the user about downscaling. */
  setReference(input: ReferenceInput): void;
  /** Shows why a file was refused (not an image, broken, too small); keeps the current image. */
  rejectReference(message: string): void;
  dismissNotice(): void;
  moveCrop(x: number, y: number): void;
  addConcept(): void;
  removeConcept(id: string): void;
  updateConcept(id: string, patch: Partial<Pick<Concept, 'token' | 'classWord'>>): void;
  /** Replaces the reference, concepts and masks with the example project (undo brings the old masks back). */
  openExample(): Promise<void>;
};

function nextId(concepts: readonly Concept[]): string {
  const used = concepts.map((c) => Number(c.id.replace(/^c/, '')) || 0);
  return `c${Math.max(0, ...used) + 1}`;
}

export function createProjectSlice({ set, get, deps }: SliceContext): ProjectActions {
  const isLocked = (): boolean => isTrainingActive(get());
  const refuse = (): void => set((s) => ({ project: { ...s.project, referenceNotice: { kind: 'error', text: LOCKED_WHILE_TRAINING } } }));
  return {
    setReference(input) {
      if (isLocked()) return refuse();
      const crop = centredCrop(input.width, input.height);
      const isDownscaled = input.width !== input.originalWidth || input.height !== input.originalHeight;
      const text = isDownscaled
        ? `"${input.name}" is ${input.originalWidth}×${input.originalHeight}; it was downscaled to ${input.width}×${input.height} to keep the studio responsive.`
        : `Loaded "${input.name}" (${input.width}×${input.height}). Move the crop box to choose the training square.`;
      const hasMasks = Object.values(get().editor.masks.present).some((layer) => !hasNoPaint(layer));
      const masksText = hasMasks ? ' Existing masks were kept; clear them if they do not fit this image.' : '';
      const notice = { kind: 'info' as const, text: text + masksText, ...(hasMasks ? { offer: 'clear-masks' as const } : {}) };
      set((s) => ({ project: { ...s.project, reference: { ...input, crop }, referenceNotice: notice } }));
    },
    rejectReference(message) {
      set((s) => ({ project: { ...s.project, referenceNotice: { kind: 'error', text: message } } }));
    },
    dismissNotice() {
      set((s) => ({ project: { ...s.project, referenceNotice: null } }));
    },
    moveCrop(x, y) {
      const ref = get().project.reference;
      if (!ref || isLocked()) return;
      set((s) => ({ project: { ...s.project, reference: { ...ref, crop: clampCrop({ x, y }, ref.width, ref.height) } } }));
    },
    addConcept() {
      const { concepts } = get().project;
      if (concepts.length >= MAX_CONCEPTS || isLocked()) return;
      const { token, color } = nextConceptDefaults(concepts);
      const concept: Concept = { id: nextId(concepts), token, classWord: '', color };
      set((s) => ({
        project: { ...s.project, concepts: [...concepts, concept] },
        editor: { ...s.editor, activeConceptId: concept.id, masks: commit(s.editor.masks, { ...s.editor.masks.present, [concept.id]: emptyLayer(concept.id) }) },
      }));
    },
    removeConcept(id) {
      const { concepts } = get().project;
      if (concepts.length <= MIN_CONCEPTS || !concepts.some((c) => c.id === id) || isLocked()) return;
      const rest = concepts.filter((c) => c.id !== id);
      set((s) => {
        const doc: Record<string, MaskDoc[string]> = { ...s.editor.masks.present };
        delete doc[id];
        const active = s.editor.activeConceptId === id ? (rest[0]?.id ?? null) : s.editor.activeConceptId;
        return { project: { ...s.project, concepts: rest }, editor: { ...s.editor, activeConceptId: active, masks: commit(s.editor.masks, doc) } };
      });
    },
    async openExample() {
      if (isLocked()) return refuse();
      if (!deps.examples) return set((s) => ({ project: { ...s.project, referenceNotice: { kind: 'error', text: 'No example project is available here.' } } }));
      try {
        const ex = await deps.examples.make();
        const { reference, concepts, masks } = exampleToProject(ex);
        set((s) => ({
          project: { ...s.project, reference, concepts, referenceNotice: { kind: 'info', text: `Example "${ex.name}" loaded: ${concepts.map((c) => `${c.token} → ${c.classWord}`).join(', ')}, with exact masks. ${ex.note}` } },
          editor: { ...s.editor, activeConceptId: concepts[0]?.id ?? null, masks: commit(s.editor.masks, masks) },
        }));
      } catch (e) {
        set((s) => ({ project: { ...s.project, referenceNotice: { kind: 'error', text: `The example could not be made: ${e instanceof Error ? e.message : String(e)}` } } }));
      }
    },
    updateConcept(id, patch) {
      if (isLocked()) return;
      set((s) => ({ project: { ...s.project, concepts: s.project.concepts.map((c) => (c.id === id ? { ...c, ...patch } : c)) } }));
    },
  };
}
