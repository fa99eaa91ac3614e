// Idle state of the pan tool: a press starts panning.
// No effects of its own.
import type { StateFactory } from '../Tool';

export const panIdle: StateFactory = (machine) => ({
  id: 'idle',
  onPointerDown(p) {
    machine.transition('panning', p);
  },
});
