// Feeds Konva stage pointer events to the current editor tool, in stage and image pixels. The release is
// caught on window, so a drag that ends outside the canvas still finishes. Reference: editor/tools/Tool.ts.
import { useEffect, useMemo } from 'react';
import type { RefObject } from 'react';
import type Konva from 'konva';
import { createTool, stagePoint, stageToImage } from '../../editor/index';
import type { StagePoint, ToolContext, ToolId, ToolMachine, ToolPointer, View } from '../../editor/index';
import { createToolContext } from '../../state/index';
import type { StudioStore } from '../../state/index';

type StageHandlers = {
  onPointerDown(e: Konva.KonvaEventObject<PointerEvent>): void;
  /** returns the pointer in image pixels (null when unknown) */
  onPointerMove(e: Konva.KonvaEventObject<PointerEvent>): ToolPointer['image'] | null;
  onDblClick(e: Konva.KonvaEventObject<MouseEvent>): void;
  onWheel(e: Konva.KonvaEventObject<WheelEvent>): void;
};

/** Another surface than the concept masks (the edit view): its own tool context, view and zoom. */
export type ToolSurface = { context: (store: StudioStore) => ToolContext; view: (store: StudioStore) => View; zoom: (store: StudioStore, factor: number, at: StagePoint) => void };

const CONCEPT_SURFACE: ToolSurface = {
  context: createToolContext,
  view: (store) => store.getState().editor.view,
  zoom: (store, factor, at) => store.getState().zoomBy(factor, at),
};

export function useToolPointer(
  store: StudioStore,
  toolId: ToolId,
  stageRef: RefObject<Konva.Stage | null>,
  focusTarget: RefObject<HTMLElement | null>,
  surface: ToolSurface = CONCEPT_SURFACE,
): { tool: ToolMachine; handlers: StageHandlers } {
  const tool = useMemo(() => createTool(toolId, surface.context(store)), [toolId, store, surface]);
  const at = (evt: Event): ToolPointer | null => {
    const stage = stageRef.current;
    if (!stage) return null;
    stage.setPointersPositions(evt);
    const pos = stage.getPointerPosition();
    if (!pos) return null;
    const sp = stagePoint(pos.x, pos.y);
    return { stage: sp, image: stageToImage(sp, surface.view(store)) };
  };
  useEffect(() => {
    const onUp = (evt: PointerEvent): void => {
      const p = at(evt);
      if (p) tool.pointerUp(p);
    };
    window.addEventListener('pointerup', onUp);
    return () => {
      window.removeEventListener('pointerup', onUp);
      tool.cancel();
    };
  }, [tool]);
  const handlers: StageHandlers = {
    onPointerDown(e) {
      focusTarget.current?.focus({ preventScroll: true });
      const p = at(e.evt);
      if (p && e.evt.button === 0) tool.pointerDown(p);
    },
    onPointerMove(e) {
      const p = at(e.evt);
      if (p) tool.pointerMove(p);
      return p?.image ?? null;
    },
    onDblClick(e) {
      const p = at(e.evt);
      if (p) tool.doubleClick(p);
    },
    onWheel(e) {
      e.evt.preventDefault();
      const p = at(e.evt);
      if (p) surface.zoom(store, e.evt.deltaY < 0 ? 1.1 : 1 / 1.1, p.stage);
    },
  };
  return { tool, handlers };
}
