// The hooks the training worker hands personalize() (src/train/loop): a checkpoint store that tells the page each
// saved step, the stored checkpoint a resume starts from (or a clear refusal), one probe for attention maps and pack
// snapshots, and a pause controller that yields to the worker's event loop before every step. No worker globals:
// Node-tested (test/workers/sampling.test.ts, test/train/loop/trainingHost.test.ts).
import { StudioError } from '../lib/errors';
import { PauseController } from '../train/index';
import type { Checkpoint, CheckpointStore, Stepper } from '../train/index';
import type { FromTrainingWorker, StartTraining } from './protocol';

export type Probe = (stepper: Stepper, step: number) => Promise<unknown>;

/** The stored checkpoint of a run asked to resume; a clear refusal when this browser no longer has it. */
export async function resumePoint(store: CheckpointStore, runId: string): Promise<Checkpoint> {
  const c = await store.load();
  if (!c) throw new StudioError('resume', `cannot resume run "${runId}": its checkpoint is no longer in this browser's storage (IndexedDB disenstudio-training). Start a new run.`);
  return c;
}

/** `store` that posts 'checkpoint' after every save, so the page knows the step a reload can resume from. */
export function announcingStore(store: CheckpointStore, post: (m: FromTrainingWorker) => void): CheckpointStore {
  return {
    save: async (c) => {
      await store.save(c);
      post({ type: 'checkpoint', step: c.step });
    },
    load: () => store.load(),
    clear: () => store.clear(),
  };
}

/** One personalize() probe hook for both attention maps (every attentionEvery) and pack snapshots (every snapshotEvery). */
export function snapshotProbe(start: Pick<StartTraining, 'attentionEvery' | 'snapshotEvery'>, attention: Probe | undefined, snapshot: (stepper: Stepper, step: number) => Promise<void>): { every: number; probe: Probe } {
  const a = attention ? start.attentionEvery ?? 0 : 0;
  const s = start.snapshotEvery ?? 0;
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return {
    every: gcd(a, s),
    probe: async (stepper, step) => {
      if (s > 0 && step % s === 0) await snapshot(stepper, step);
      return a > 0 && step % a === 0 ? attention?.(stepper, step) : undefined;
    },
  };
}

/**
 * A PauseController whose wait() first lets the worker's event loop run: on wasm an ORT run can finish without
 * yielding a macrotask, so without this a 'cancel' or 'pause' message would wait in the queue until the whole loop
 * ended (the training loop awaits wait() before every step: personalize.ts step 1).
 */
export class EventYieldingPause extends PauseController {
  override wait(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => super.wait(signal));
  }
}
