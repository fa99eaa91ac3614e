// One studio training run on its own training.worker.ts: posts the start message, forwards the store's pause /
// resume and the abort signal, turns the worker's messages into TrainProgress (phases, regularisation count,
// checkpoints, attention maps, samples) and its 'done' into the TrainResult. Main thread only (Worker). Reference:
// protocol.ts (the messages), trainingHost.ts (the other side).
import type { FromTrainingWorker, StartTraining } from './protocol';
import { snapshotMaps } from './trainingFeedback';
import type { Sampler } from './trainingFeedback';
import type { TrainPause, TrainProgress, TrainRequest, TrainResult } from '../state/index';

export type TrainingDone = Extract<FromTrainingWorker, { type: 'done' }>;

export type TrainCallbacks = { onProgress: (p: TrainProgress) => void; signal: AbortSignal; pause?: TrainPause; sampler?: Sampler };

/** Runs `start` to its end; `onDone` gets the finished (or cancelled after a step) run's files before the result returns. */
export async function runTraining(start: StartTraining, req: TrainRequest, cb: TrainCallbacks, onDone: (d: TrainingDone) => Promise<void>): Promise<TrainResult> {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
  const unsubscribe = cb.pause?.subscribe((isPaused) => worker.postMessage({ type: isPaused ? 'pause' : 'resume' }));
  try {
    const done = await new Promise<TrainingDone>((resolve, reject) => {
      cb.signal.addEventListener('abort', () => worker.postMessage({ type: 'cancel' }));
      let last: TrainProgress = { step: 0, totalSteps: req.settings.steps, losses: {} };
      worker.onmessage = (e: MessageEvent<FromTrainingWorker>) => {
        const m = e.data;
        if (m.type === 'progress') cb.onProgress((last = { step: m.event.step, totalSteps: m.event.totalSteps, losses: m.event.losses, etaSeconds: m.event.etaSeconds, attention: snapshotMaps(m.event.attention) }));
        else if (m.type === 'status' && m.phase !== 'training') cb.onProgress({ ...last, attention: undefined, phase: `${m.phase}: ${m.detail}`, stage: m.phase });
        else if (m.type === 'regularisation') cb.onProgress({ ...last, attention: undefined, phase: `regularisation: image ${m.done} of ${m.total}${m.cached > 0 ? ` (${m.cached} from the cache)` : ''}`, stage: 'regularisation', regularisation: { done: m.done, total: m.total, cached: m.cached } });
        else if (m.type === 'checkpoint') cb.onProgress({ ...last, attention: undefined, checkpointStep: m.step });
        else if (m.type === 'snapshot') cb.sampler?.offer(m.step, m.packFiles, (sample) => cb.onProgress({ ...last, attention: undefined, sample }));
        else if (m.type === 'done') resolve(m);
        else if (m.type === 'error') reject(new Error(`training (${m.code}): ${m.message}`));
      };
      worker.onerror = (e) => reject(new Error(`training worker failed: ${e.message}`));
      worker.postMessage(start);
      if (cb.pause?.isPaused) worker.postMessage({ type: 'pause' });
    });
    // a cancelled run keeps what it learned so far as a usable concept (its last finite state), unless no step ran
    if (done.status === 'cancelled' && done.step === 0) throw new DOMException('training cancelled', 'AbortError');
    await onDone(done);
    const usage = Object.entries(done.exportFiles).find(([name]) => name.endsWith('_usage.txt'))?.[1];
    return { learnedTokens: req.concepts.map((c) => c.token), trainedOn: done.trainedOn, ...(usage ? { exportUsage: new TextDecoder().decode(usage) } : {}), ...(done.status === 'cancelled' ? { stoppedAt: { step: done.step, totalSteps: req.settings.steps } } : {}) };
  } finally {
    unsubscribe?.();
    worker.terminate();
  }
}
