// The store's side of TrainPause: a switch the training slice flips and the engine subscribes to. Plain
// observer, no timers, no engine code; one switch per training run. Reference: state/ports.ts TrainPause.
import type { TrainPause } from './ports';

export type PauseSwitch = TrainPause & { set(isPaused: boolean): void };

/** A fresh switch, running (not paused). Listeners hear only real changes. */
export function createPauseSwitch(): PauseSwitch {
  let paused = false;
  const listeners = new Set<(isPaused: boolean) => void>();
  return {
    get isPaused() {
      return paused;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(isPaused) {
      if (isPaused === paused) return;
      paused = isPaused;
      for (const l of [...listeners]) l(paused);
    },
  };
}
