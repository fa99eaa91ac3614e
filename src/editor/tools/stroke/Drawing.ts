// Drawing state of brush ('add') and eraser ('erase'): collects points while pressed, previews the stroke,
// commits one StrokeOp on release, drops it on cancel. Points closer than a quarter radius are skipped.
// No store access: effects go through ToolContext. Reference: tldraw EraserTool/childStates/Erasing.ts.
import type { ImagePoint, ImagePx } from '../../coords';
import type { StrokeOp } from '../../model';
import type { StateFactory } from '../Tool';

export function strokeDrawing(mode: StrokeOp['mode']): StateFactory {
  return (machine, ctx) => {
    let points: ImagePoint[] = [];
    const op = (): StrokeOp => {
      const feather = ctx.brushFeather?.() ?? (0 as ImagePx);
      return { kind: 'stroke', mode, radius: ctx.brushRadius(), points, ...(feather > 0 ? { feather } : {}) };
    };
    return {
      id: 'drawing',
      onEnter(p) {
        points = p ? [p.image] : [];
        ctx.preview(op());
      },
      onPointerMove(p) {
        const last = points[points.length - 1];
        const minStep = ctx.brushRadius() / 4;
        if (last && Math.hypot(p.image.x - last.x, p.image.y - last.y) < minStep) return;
        points = [...points, p.image];
        ctx.preview(op());
      },
      onPointerUp(p) {
        const last = points[points.length - 1];
        if (!last || last.x !== p.image.x || last.y !== p.image.y) points = [...points, p.image];
        ctx.preview(null);
        ctx.commit(op());
        points = [];
        machine.transition('idle');
      },
      onCancel() {
        points = [];
        ctx.preview(null);
        machine.transition('idle');
      },
    };
  };
}
