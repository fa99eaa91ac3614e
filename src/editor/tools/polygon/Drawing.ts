// Drawing state of the polygon/lasso tool. Click adds a vertex; dragging while pressed traces a lasso that
// closes on release; a click near the first vertex, a double click on the last vertex or Enter closes;
// Escape cancels. Repeated clicks on the same spot add no vertex.
// Shapes with fewer than 3 vertices are dropped, never committed. No store access (ToolContext only).
import type { ImagePoint } from '../../coords';
import type { PolygonOp } from '../../model';
import type { StateFactory, ToolPointer } from '../Tool';

/** Close-to-start distance and lasso sampling step, in stage pixels (independent of zoom). */
const CLOSE_STAGE_PX = 8;
const LASSO_STEP_STAGE_PX = 3;

export const polygonDrawing: StateFactory = (machine, ctx) => {
  let vertices: ImagePoint[] = [];
  let firstStage: ToolPointer['stage'] | null = null;
  let lastStage: ToolPointer['stage'] | null = null;
  let isPressed = false;
  let draggedPoints = 0;
  let wasRepeatClick = false;
  const shape = (hover?: ImagePoint): PolygonOp => ({ kind: 'polygon', mode: 'add', points: hover ? [...vertices, hover] : vertices });
  const finish = (): void => {
    ctx.preview(null);
    if (vertices.length >= 3) ctx.commit(shape());
    vertices = [];
    machine.transition('idle');
  };
  return {
    id: 'drawing',
    onEnter(p) {
      vertices = p ? [p.image] : [];
      firstStage = p?.stage ?? null;
      lastStage = firstStage;
      isPressed = true;
      draggedPoints = 0;
      ctx.preview(shape());
    },
    onPointerDown(p) {
      isPressed = true;
      draggedPoints = 0;
      const isNearStart = firstStage !== null && Math.hypot(p.stage.x - firstStage.x, p.stage.y - firstStage.y) <= CLOSE_STAGE_PX;
      if (isNearStart && vertices.length >= 3) return finish();
      wasRepeatClick = lastStage !== null && Math.hypot(p.stage.x - lastStage.x, p.stage.y - lastStage.y) < LASSO_STEP_STAGE_PX;
      if (wasRepeatClick) return;
      vertices = [...vertices, p.image];
      lastStage = p.stage;
      ctx.preview(shape());
    },
    onPointerMove(p) {
      if (!isPressed) return ctx.preview(shape(p.image));
      wasRepeatClick = lastStage !== null && Math.hypot(p.stage.x - lastStage.x, p.stage.y - lastStage.y) < LASSO_STEP_STAGE_PX;
      if (wasRepeatClick) return;
      vertices = [...vertices, p.image];
      lastStage = p.stage;
      draggedPoints++;
      ctx.preview(shape());
    },
    onPointerUp() {
      isPressed = false;
      if (draggedPoints >= 2 && vertices.length >= 3) finish();
    },
    onDoubleClick() {
      // Konva reports two quick clicks anywhere as a double click; only a repeated click on the last vertex closes.
      if (wasRepeatClick) finish();
    },
    onKey(key) {
      if (key === 'Enter') finish();
      if (key === 'Escape') this.onCancel?.();
    },
    onCancel() {
      vertices = [];
      ctx.preview(null);
      machine.transition('idle');
    },
  };
};
