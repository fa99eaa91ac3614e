// Binds the editor's ToolContext to a studio store, so tools (pure state machines) can commit strokes,
// show previews and pan. The only glue between editor/tools and state. Reference: editor/tools/Tool.ts.
import type { ImagePx, ToolContext } from '../editor/index';
import { referencePixelsKey } from './slices/editorSlice';
import type { StudioStore } from './slices/sliceTypes';

/** The edit view's tools: strokes go to the edit mask (editSlice); brush, feather and wand settings shared with the mask editor. */
export function createEditToolContext(store: StudioStore): ToolContext {
  return {
    commit: (op) => store.getState().commitEditOp(op),
    preview: (op) => store.getState().setEditPreview(op),
    panBy: (dx, dy) => {
      const v = store.getState().edit.view;
      store.getState().setEditView({ ...v, offsetX: v.offsetX + dx, offsetY: v.offsetY + dy });
    },
    brushRadius: () => store.getState().editor.brushRadius as ImagePx,
    brushFeather: () => store.getState().editor.brushFeather as ImagePx,
    wandSource: () => {
      const { source, sourcePixels } = store.getState().edit;
      return source && sourcePixels && sourcePixels.key === referencePixelsKey(source) ? { pixels: sourcePixels.pixels, size: source.crop.size } : null;
    },
    wandSettings: () => ({ tolerance: store.getState().editor.wandTolerance, mode: store.getState().editor.wandMode }),
  };
}

export function createToolContext(store: StudioStore): ToolContext {
  return {
    commit: (op) => store.getState().commitOp(op),
    preview: (op) => store.getState().setPreview(op),
    panBy: (dx, dy) => store.getState().panBy(dx, dy),
    brushRadius: () => store.getState().editor.brushRadius as ImagePx,
    brushFeather: () => store.getState().editor.brushFeather as ImagePx,
    wandSource: () => {
      const { project, editor } = store.getState();
      const ref = project.reference;
      const rp = editor.referencePixels;
      return ref && rp && rp.key === referencePixelsKey(ref) ? { pixels: rp.pixels, size: ref.crop.size } : null;
    },
    wandSettings: () => ({ tolerance: store.getState().editor.wandTolerance, mode: store.getState().editor.wandMode }),
  };
}
