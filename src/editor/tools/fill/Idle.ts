// The fill tool's only state: a press commits a region fill at the pressed point. With the reference's pixels
// (ToolContext.wandSource) it is the magic wand: the 4-connected region of similar colour, stored as a RegionOp;
// without them (a surface with no decoded image) it floods the unpainted region (FillOp).
// No store access (ToolContext only). Reference: region.ts wandRegion, raster.ts paintFill.
import { WAND_TOLERANCE, regionOp, wandRegion } from '../../region';
import type { StateFactory } from '../Tool';

export const fillIdle: StateFactory = (_machine, ctx) => ({
  id: 'idle',
  onPointerDown(p) {
    const source = ctx.wandSource?.() ?? null;
    if (!source) return ctx.commit({ kind: 'fill', at: p.image });
    const { tolerance, mode } = ctx.wandSettings?.() ?? { tolerance: WAND_TOLERANCE.default, mode: 'add' as const };
    const bitmap = wandRegion(source.pixels, p.image, source.size, tolerance);
    if (!bitmap.some((v) => v !== 0)) return; // outside the square: nothing to fill
    ctx.commit(regionOp(bitmap, source.pixels.side, mode));
  },
});
