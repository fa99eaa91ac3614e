// Editor slice: mask document with undo/redo, active concept, tool, brush, opacity, zoom/pan, live preview.
// Each committed operation is one undo step; previews are never recorded. Never throws into React.
// Reference: the studio's mask editor, editor/history.ts, editor/raster.ts.
import { appendOp, canRedo, canUndo, commit, downsamplePixels, emptyLayer, fitView, rasterizeLayer, redo, regionOp, slic, snapToEdges, stagePoint, undo, WAND_TOLERANCE, zoomAt } from '../../editor/index';
import type { MaskOp, PixelSquare, StagePoint, ToolId, View } from '../../editor/index';
import type { ReferenceImage } from '../types';
import type { SliceContext } from './sliceTypes';

import { MASK_LIMITS } from '../limits';
import { isTrainingActive } from '../selectors';

export const MIN_BRUSH_RADIUS = 1;
export const MAX_BRUSH_RADIUS = MASK_LIMITS.radius;
export const MAX_BRUSH_FEATHER = 64;
/** Snap to edges runs SLIC on a box-averaged copy of the reference at most this many px across (main thread). */
export const SNAP_SIDE = 256;

/** Names an image and its square (the reference's crop, the edit source's), so decoded pixels serve only that square. */
export function referencePixelsKey(src: { readonly dataUrl: string; readonly crop: ReferenceImage['crop'] }): string {
  return `${src.dataUrl.length}|${src.dataUrl.slice(-48)}|${src.crop.x},${src.crop.y},${src.crop.size}`;
}

/** SLIC labels per decoded pixel square (the same square is segmented once). */
const labelCache = new WeakMap<PixelSquare, { small: PixelSquare; labels: Int32Array }>();

export type EditorActions = {
  setActiveConcept(id: string): void;
  setTool(tool: ToolId): void;
  setBrushRadius(radius: number): void;
  setBrushFeather(feather: number): void;
  setWandTolerance(tolerance: number): void;
  setWandMode(mode: 'add' | 'erase'): void;
  /** The reference's pixels over its training square, decoded by the UI for `key` (referencePixelsKey); null forgets them. */
  setReferencePixels(key: string, pixels: PixelSquare | null): void;
  /**
   * Snap to edges: replaces the active layer's mask by reference superpixels (SLIC on a copy at most SNAP_SIDE
   * across, on the main thread: `npm run bench:snap` measured ~0.4 s in all on a shared 2-core machine) chosen by coverage and colour (editor/slic.ts snapToEdges), one undo step. False when there is nothing to snap (no active layer or no pixels yet).
   */
  snapActiveLayer(): boolean;
  /** Clears every concept's layer in one undo step (offered when the reference is replaced). */
  clearAllLayers(): void;
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

type ViewActions = Pick<EditorActions, 'setTool' | 'setBrushRadius' | 'setBrushFeather' | 'setWandTolerance' | 'setWandMode' | 'setReferencePixels' | 'setMaskOpacity' | 'setView' | 'panBy' | 'zoomBy' | 'setStageSize' | 'fitToStage'>;
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
    setBrushFeather(feather) {
      const f = Math.round(Math.min(MAX_BRUSH_FEATHER, Math.max(0, Number.isFinite(feather) ? feather : 0)));
      set((s) => ({ editor: { ...s.editor, brushFeather: f } }));
    },
    setWandTolerance(tolerance) {
      const t = Math.round(Math.min(WAND_TOLERANCE.max, Math.max(WAND_TOLERANCE.min, Number.isFinite(tolerance) ? tolerance : WAND_TOLERANCE.default)));
      set((s) => ({ editor: { ...s.editor, wandTolerance: t } }));
    },
    setWandMode(mode) {
      set((s) => ({ editor: { ...s.editor, wandMode: mode } }));
    },
    setReferencePixels(key, pixels) {
      set((s) => ({ editor: { ...s.editor, referencePixels: pixels ? { key, pixels } : null } }));
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
    snapActiveLayer() {
      const st = get();
      const id = st.editor.activeConceptId;
      const ref = st.project.reference;
      const rp = st.editor.referencePixels;
      if (id === null || !ref || !rp || rp.key !== referencePixelsKey(ref) || isTrainingActive(st)) return false;
      let seg = labelCache.get(rp.pixels);
      if (!seg) {
        const small = downsamplePixels(rp.pixels, Math.min(SNAP_SIDE, rp.pixels.side));
        seg = { small, labels: slic(small) };
        labelCache.set(rp.pixels, seg);
      }
      const layer = st.editor.masks.present[id] ?? emptyLayer(id);
      const side = seg.small.side;
      const snapped = snapToEdges(rasterizeLayer(layer, ref.crop.size, side), seg.small, seg.labels);
      const ops: MaskOp[] = [...layer.ops, { kind: 'clear' }, regionOp(snapped, side, 'add')];
      set((s) => ({ editor: { ...s.editor, masks: commit(s.editor.masks, { ...s.editor.masks.present, [id]: { ...layer, ops } }) } }));
      return true;
    },
    clearAllLayers() {
      if (isTrainingActive(get())) return;
      set((s) => {
        const doc = s.editor.masks.present;
        const cleared = Object.fromEntries(Object.entries(doc).map(([id, layer]) => [id, appendOp(layer, { kind: 'clear' })]));
        return { editor: { ...s.editor, masks: commit(s.editor.masks, cleared) } };
      });
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
