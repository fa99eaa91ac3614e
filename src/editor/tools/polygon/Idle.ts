// Idle state of the polygon/lasso tool: the first press starts a shape.
// No effects of its own. Reference: tldraw's Idle child states.
import type { StateFactory } from '../Tool';

export const polygonIdle: StateFactory = (machine) => ({
  id: 'idle',
  onPointerDown(p) {
    machine.transition('drawing', p);
  },
});
