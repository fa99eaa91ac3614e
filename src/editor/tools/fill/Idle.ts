// The fill tool's only state: a press commits a flood fill at the pressed point.
// No store access (ToolContext only). Reference: raster.ts paintFill for what the op means.
import type { StateFactory } from '../Tool';

export const fillIdle: StateFactory = (_machine, ctx) => ({
  id: 'idle',
  onPointerDown(p) {
    ctx.commit({ kind: 'fill', at: p.image });
  },
});
