// Idle state shared by the brush and the eraser: waits for a press, then hands over to "drawing".
// No effects of its own. Reference: tldraw EraserTool/childStates/Idle.ts.
import type { StateFactory } from '../Tool';

export const strokeIdle: StateFactory = (machine) => ({
  id: 'idle',
  onPointerDown(p) {
    machine.transition('drawing', p);
  },
});
