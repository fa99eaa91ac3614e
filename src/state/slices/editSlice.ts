// Edit slice: the edit view's source image (reference crop, a generated image, an upload), its repaint mask
// (editor operations with undo/redo, painted with the mask tools), A1111's options (denoising strength, mask
// blur, inpaint masked / not masked, img2img) and the generateEdit/cancelEdit actions that call EnginePort with
// the generation settings plus an init. Errors land in edit.status, never thrown. Reference: docs/inpainting.md,
// ports.ts GenerateInit, editor/raster.ts rasterizeLayer.
import { appendOp, canRedo, canUndo, commit, coverage, emptyLayer, fitView, hasNoPaint, rasterizeLayer, redo, undo } from '../../editor/index';
import type { MaskOp, PixelSquare, View } from '../../editor/index';
import { describeError } from '../../lib/errors';
import { ENGINE_UNAVAILABLE, isAbort } from '../engineMessages';
import { EDIT_LAYER_ID } from '../initialState';
import { EDIT_LIMITS } from '../limits';
import type { EditSource, EditState } from '../types';
import { EMPTY_PROMPT, generateRequest } from './generationSlice';
import type { SliceContext } from './sliceTypes';

export type EditOptions = Pick<EditState, 'mode' | 'strength' | 'maskBlur' | 'invertMask' | 'onlyMasked' | 'maskedPadding'>;

export type EditActions = {
  /** Edits the reference image's training square. */
  editReference(): void;
  /** Edits result `index` of text-to-image ('generation') or of an earlier edit ('edit'). */
  editGenerated(index: number, from?: 'generation' | 'edit'): void;
  /** Edits an uploaded image (decoded by the UI); a non-square image is refused with a message. */
  editUpload(dataUrl: string, width: number, height: number, fileName: string): void;
  updateEdit(patch: Partial<EditOptions>): void;
  commitEditOp(op: MaskOp): void;
  setEditPreview(op: MaskOp | null): void;
  /** The edit source square's pixels decoded by the UI for `key` (referencePixelsKey), for the wand; null forgets them. */
  setEditSourcePixels(key: string, pixels: PixelSquare | null): void;
  clearEditMask(): void;
  undoEdit(): void;
  redoEdit(): void;
  canUndoEdit(): boolean;
  canRedoEdit(): boolean;
  setEditView(view: View): void;
  /** Fits the source square into a stage of this size. */
  fitEditView(width: number, height: number): void;
  /** Inpaints (or img2img) with the generation settings; results land in edit.images. */
  generateEdit(): Promise<void>;
  cancelEdit(): void;
};

const clamp = (v: number, r: { min: number; max: number }): number => Math.min(r.max, Math.max(r.min, v));

export function createEditSlice({ set, get, deps }: SliceContext): EditActions {
  let controller: AbortController | null = null;
  const setEdit = (patch: Partial<EditState>): void => set((s) => ({ edit: { ...s.edit, ...patch } }));
  const open = (source: EditSource): void =>
    setEdit({ source, mask: commit(get().edit.mask, emptyLayer(EDIT_LAYER_ID)), preview: null, status: { kind: 'idle' }, progress: null });
  const fail = (message: string): void => setEdit({ status: { kind: 'error', message } });
  return {
    editReference() {
      const ref = get().project.reference;
      if (!ref) return fail('There is no reference image to edit: load one in the Reference panel, or upload an image here.');
      open({ kind: 'reference', dataUrl: ref.dataUrl, crop: ref.crop, label: 'reference (training square)' });
    },
    editGenerated(index, from = 'generation') {
      const img = (from === 'generation' ? get().generation.images : get().edit.images)[index];
      if (!img) return fail(`There is no ${from === 'generation' ? 'generated' : 'edited'} image ${index + 1} to edit.`);
      open({ kind: 'generated', dataUrl: img.dataUrl, crop: { x: 0, y: 0, size: img.width }, label: `${from === 'generation' ? 'generated' : 'edited'} image ${index + 1} (seed ${img.seed})` });
    },
    editUpload(dataUrl, width, height, fileName) {
      if (width !== height) return fail(`${fileName} is ${width}×${height}; the edit view repaints square images (crop it in the Reference panel and edit the reference, or upload a square image). Nothing was changed.`);
      open({ kind: 'upload', dataUrl, crop: { x: 0, y: 0, size: width }, label: fileName });
    },
    updateEdit(patch) {
      const next: { -readonly [K in keyof EditOptions]?: EditOptions[K] } = { ...patch };
      if (patch.strength !== undefined) next.strength = Number.isFinite(patch.strength) ? clamp(patch.strength, EDIT_LIMITS.strength) : get().edit.strength;
      if (patch.maskBlur !== undefined) next.maskBlur = Number.isFinite(patch.maskBlur) ? Math.round(clamp(patch.maskBlur, EDIT_LIMITS.maskBlur)) : get().edit.maskBlur;
      if (patch.maskedPadding !== undefined) next.maskedPadding = Number.isFinite(patch.maskedPadding) ? Math.round(clamp(patch.maskedPadding, EDIT_LIMITS.maskedPadding)) : get().edit.maskedPadding;
      setEdit(next);
    },
    commitEditOp(op) {
      if (!get().edit.source || get().edit.status.kind === 'running') return;
      set((s) => ({ edit: { ...s.edit, mask: commit(s.edit.mask, appendOp(s.edit.mask.present, op)), preview: null } }));
    },
    setEditPreview(op) {
      setEdit({ preview: op });
    },
    setEditSourcePixels(key, pixels) {
      setEdit({ sourcePixels: pixels ? { key, pixels } : null });
    },
    clearEditMask() {
      get().commitEditOp({ kind: 'clear' });
    },
    undoEdit() {
      set((s) => ({ edit: { ...s.edit, mask: undo(s.edit.mask), preview: null } }));
    },
    redoEdit() {
      set((s) => ({ edit: { ...s.edit, mask: redo(s.edit.mask), preview: null } }));
    },
    canUndoEdit: () => canUndo(get().edit.mask),
    canRedoEdit: () => canRedo(get().edit.mask),
    setEditView(view) {
      setEdit({ view });
    },
    fitEditView(width, height) {
      const size = get().edit.source?.crop.size;
      if (size) setEdit({ view: fitView(size, width, height) });
    },
    async generateEdit() {
      const engine = deps.engine;
      if (!engine) return setEdit({ status: { kind: 'unavailable', message: ENGINE_UNAVAILABLE } });
      if (get().edit.status.kind === 'running') return;
      const e = get().edit;
      if (!e.source) return fail('Pick the image to edit first: the reference, a generated image, or an upload.');
      if (!get().generation.settings.isSeedLocked) get().randomizeSeed();
      const st = get().generation.settings;
      if (st.prompt.trim() === '') return fail(EMPTY_PROMPT);
      let mask: Uint8Array | undefined;
      if (e.mode === 'inpaint') {
        mask = hasNoPaint(e.mask.present) ? undefined : rasterizeLayer(e.mask.present, e.source.crop.size, st.size);
        const share = mask ? coverage(mask) : 0;
        if (share === 0) return fail('The mask is empty: paint the region to repaint (brush, polygon or fill), or choose "whole image" (image-to-image).');
        if (e.invertMask && share === 1) return fail('The mask covers the whole image, so "inpaint not masked" has nothing to repaint: erase part of it.');
      }
      const request = { ...generateRequest(st, get().project.concepts, get().networks.items), init: { dataUrl: e.source.dataUrl, crop: e.source.crop, ...(mask ? { mask } : {}), strength: e.strength, maskBlur: e.maskBlur, invertMask: e.invertMask, ...(mask && e.onlyMasked ? { onlyMasked: { padding: e.maskedPadding } } : {}) } };
      controller = new AbortController();
      const signal = controller.signal;
      setEdit({ status: { kind: 'running' }, progress: { stepIndex: 0, totalSteps: st.steps } });
      try {
        const images = await engine.generate(request, (progress) => setEdit({ progress }), signal);
        setEdit({ status: { kind: 'done' }, images });
      } catch (err) {
        setEdit({ status: isAbort(err, signal) ? { kind: 'cancelled' } : { kind: 'error', message: describeError(err) } });
      } finally {
        controller = null;
      }
    },
    cancelEdit() {
      controller?.abort();
    },
  };
}
