// Panning state: moves the view by the stage-pixel delta of each pointer move until release or cancel.
// Stage pixels, not image pixels, so panning speed does not depend on zoom. No store access.
import type { StagePoint } from '../../coords';
import type { StateFactory } from '../Tool';

export const panPanning: StateFactory = (machine, ctx) => {
  let last: StagePoint | null = null;
  return {
    id: 'panning',
    onEnter(p) {
      last = p?.stage ?? null;
    },
    onPointerMove(p) {
      if (last) ctx.panBy(p.stage.x - last.x, p.stage.y - last.y);
      last = p.stage;
    },
    onPointerUp() {
      last = null;
      machine.transition('idle');
    },
    onCancel() {
      last = null;
      machine.transition('idle');
    },
  };
};
