// Editor slice: mask document with undo/redo, active concept, tool, brush, opacity, zoom/pan, live preview.
// Each committed operation is one undo step; previews are never recorded. Never throws into React.
// Reference: the studio's mask editor, editor/history.ts, editor/raster.ts.
import { appendOp, canRedo, canUndo, commit, emptyLayer, fitView, redo, stagePoint, undo, zoomAt } from '../../editor/index';
import type { MaskOp, StagePoint, ToolId, View } from '../../editor/index';
import type { SliceContext } from './sliceTypes';

import { MASK_LIMITS } from '../limits';
import { isTrainingActive } from '../selectors';

export const MIN_BRUSH_RADIUS = 1;
export const MAX_BRUSH_RADIUS = MASK_LIMITS.radius;

export type EditorActions = {
  setActiveConcept(id: string): void;
  setTool(tool: ToolId): void;
  setBrushRadius(radius: number): void;
  setMaskOpacity(opacity: number): void;
  setView(view: View): void;
  panBy(dx: number, dy: number): void;
  /** Zooms around `anchor` (default: the stage centre). */
  zoomBy(factor: number, anchor?: StagePoint): void;
  setStageSize(width: number, height: number): void;
  /** Fits the training square into the stage. */
  fitToStage(): void;
  setPreview(op: MaskOp | null): void;
  /** Appends `op` to the active concept's layer as one undo step; no-op without an active concept. */
  commitOp(op: MaskOp): void;
  clearActiveLayer(): void;
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;
};

type ViewActions = Pick<EditorActions, 'setTool' | 'setBrushRadius' | 'setMaskOpacity' | 'setView' | 'panBy' | 'zoomBy' | 'setStageSize' | 'fitToStage'>;
type MaskActions = Omit<EditorActions, keyof ViewActions>;

function createViewActions({ set, get }: SliceContext): ViewActions {
  return {
    setTool(tool) {
      set((s) => ({ editor: { ...s.editor, tool, preview: null } }));
    },
    setBrushRadius(radius) {
      const r = Math.round(Math.min(MAX_BRUSH_RADIUS, Math.max(MIN_BRUSH_RADIUS, radius)));
      set((s) => ({ editor: { ...s.editor, brushRadius: r } }));
    },
    setMaskOpacity(opacity) {
      set((s) => ({ editor: { ...s.editor, maskOpacity: Math.min(1, Math.max(0, opacity)) } }));
    },
    setView(view) {
      set((s) => ({ editor: { ...s.editor, view } }));
    },
    panBy(dx, dy) {
      set((s) => ({ editor: { ...s.editor, view: { ...s.editor.view, offsetX: s.editor.view.offsetX + dx, offsetY: s.editor.view.offsetY + dy } } }));
    },
    zoomBy(factor, anchor) {
      set((s) => {
        const at = anchor ?? stagePoint(s.editor.stageSize.width / 2, s.editor.stageSize.height / 2);
        return { editor: { ...s.editor, view: zoomAt(s.editor.view, at, factor) } };
      });
    },
    setStageSize(width, height) {
      set((s) => ({ editor: { ...s.editor, stageSize: { width, height } } }));
    },
    fitToStage() {
      const size = get().project.reference?.crop.size;
      if (!size) return;
      set((s) => ({ editor: { ...s.editor, view: fitView(size, s.editor.stageSize.width, s.editor.stageSize.height) } }));
    },
  };
}

function createMaskActions({ set, get }: SliceContext): MaskActions {
  return {
    setActiveConcept(id) {
      if (!get().project.concepts.some((c) => c.id === id)) return;
      set((s) => ({ editor: { ...s.editor, activeConceptId: id } }));
    },
    setPreview(op) {
      set((s) => ({ editor: { ...s.editor, preview: op } }));
    },
    commitOp(op) {
      const id = get().editor.activeConceptId;
      // masks are locked while a run trains on them (the run read them at its start)
      if (id === null || isTrainingActive(get())) return;
      set((s) => {
        const doc = s.editor.masks.present;
        const layer = appendOp(doc[id] ?? emptyLayer(id), op);
        return { editor: { ...s.editor, masks: commit(s.editor.masks, { ...doc, [id]: layer }) } };
      });
    },
    clearActiveLayer() {
      get().commitOp({ kind: 'clear' });
    },
    undo() {
      if (isTrainingActive(get())) return;
      set((s) => ({ editor: { ...s.editor, masks: undo(s.editor.masks), preview: null } }));
    },
    redo() {
      if (isTrainingActive(get())) return;
      set((s) => ({ editor: { ...s.editor, masks: redo(s.editor.masks), preview: null } }));
    },
    canUndo() {
      return canUndo(get().editor.masks);
    },
    canRedo() {
      return canRedo(get().editor.masks);
    },
  };
}

export function createEditorSlice(ctx: SliceContext): EditorActions {
  return { ...createViewActions(ctx), ...createMaskActions(ctx) };
}
