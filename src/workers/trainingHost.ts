// The training worker's logic, independent of `self` so Node tests can drive it with a fake port: on "start" it
// loads the model, makes (or reads cached) regularisation images (trainingRegularisation.ts), prepares the job and
// runs personalize() with pause / resume / cancel from later messages (trainingLoopHooks.ts); every `snapshotEvery`
// steps it posts the concept pack so far; at the end it posts the pack and export files (trainingPackFiles.ts). One
// run at a time. Reference: src/train/loop (personalize, preparePersonalizeJob), protocol.ts.
import { loadAnyModel, MemoryFileSource } from '../diffusion/index';
import type { FileSource } from '../diffusion/index';
import { postedErrorMessage, StudioError } from '../lib/errors';
import { describeBackend } from '../runtime/index';
import type { Runner } from '../runtime/index';
import { baseModelHash, personalize, preparePersonalizeJob } from '../train/index';
import type { BlobCache, CheckpointStore } from '../train/index';
import { fetchClipVocabulary, fetchModelFile } from './fetchModelFile';
import type { FromTrainingWorker, ModelSpec, StartTraining, ToTrainingWorker, TrainingProgressEvent } from './protocol';
import { announcingStore, EventYieldingPause, resumePoint, snapshotProbe } from './trainingLoopHooks';
import { packFilesOf } from './trainingPackFiles';
import { regularisationPhase } from './trainingRegularisation';

export type TrainingHostDeps = {
  createRunner(start: StartTraining): Promise<Runner>;
  checkpointStore(runId: string): CheckpointStore;
  blobCache(): BlobCache;
  /** fetch for ModelSpec 'url' (default globalThis.fetch) */
  fetchBytes?: (url: string) => Promise<Uint8Array>;
  /** the shipped CLIP vocabulary for a lone single-file checkpoint (default: fetched from the app's public/clip/) */
  clipVocabulary?: () => Promise<Uint8Array>;
};

function urlSource(spec: Extract<ModelSpec, { kind: 'url' }>, fetchBytes: (url: string) => Promise<Uint8Array>): FileSource {
  const base = spec.baseUrl.replace(/\/$/, '');
  return { label: base, list: async () => [...spec.files].sort(), read: (path) => fetchBytes(`${base}/${path}`) };
}

/** Returns the message handler; `post` sends to the page (transfer lists are the caller's business). */
export function createTrainingHost(post: (m: FromTrainingWorker) => void, deps: TrainingHostDeps): (m: ToTrainingWorker) => void {
  let pause: EventYieldingPause | undefined;
  let abort: AbortController | undefined;
  const run = async (start: StartTraining): Promise<void> => {
    post({ type: 'status', phase: 'loading', detail: 'reading the base model' });
    const src = start.model.kind === 'files' ? new MemoryFileSource(new Map(Object.entries(start.model.files)), start.model.label) : urlSource(start.model, deps.fetchBytes ?? fetchModelFile);
    const model = await loadAnyModel(src, { clipVocabulary: deps.clipVocabulary ?? fetchClipVocabulary });
    const hash = await baseModelHash(src);
    const runner = await deps.createRunner(start);
    const reg = await regularisationPhase(start, runner, model, hash, deps.blobCache(), post, abort?.signal);
    const building = start.config?.recompute ? `building the training graph (recomputing each UNet ${start.config.recompute === 'layers' ? 'layer' : 'block'} in the backward)` : 'building the training graph';
    post({ type: 'status', phase: 'building', detail: start.lowered ? `${building}; ${start.lowered.reason}` : building });
    const job = await preparePersonalizeJob(runner, model, { target: start.target, concepts: start.concepts, regularisation: reg, seed: start.seed, steps: start.steps, config: start.config, rowInit: start.rowInit, ...(start.lowered ? { resolution: start.lowered.resolution } : {}) });
    const store = announcingStore(deps.checkpointStore(start.runId), post);
    const probe = (start.attentionEvery ?? 0) > 0 ? await job.attentionProbe() : undefined;
    const files = packFilesOf(start, model, hash, job, reg.length);
    // the probe's attention answers are AttentionSnapshots (job.attentionProbe), so each progress event's attention is one
    const snapshots = snapshotProbe(start, probe?.probe, async (stepper, step) => post({ type: 'snapshot', step, packFiles: files.snapshot(await stepper.readParams(), step) }));
    post({ type: 'status', phase: 'training', detail: `${job.steps} steps` });
    const r = await personalize({
      ...job, accumulation: job.config.gradAccumulation, store, signal: abort?.signal, pause, checkpointEvery: start.checkpointEvery,
      resumeFrom: start.isResume ? await resumePoint(store, start.runId) : undefined, onProgress: (event) => post({ type: 'progress', event: event as TrainingProgressEvent }),
      attentionEvery: snapshots.every, probeAttention: snapshots.probe,
    });
    await probe?.dispose();
    await job.dispose();
    // a finished run has nothing left to resume: free the checkpoint (a cancelled one keeps it for "Resume run")
    if (r.status === 'done') await store.clear().catch(() => undefined);
    post({ type: 'status', phase: 'saving', detail: 'writing the concept pack' });
    const { packFiles, exportFiles } = files.final(r.params, r.step, r.status);
    post({ type: 'done', status: r.status, step: r.step, rollbacks: r.rollbacks, trainedOn: describeBackend(runner.backend), packFiles, exportFiles });
  };
  return (m) => {
    if (m.type === 'pause') return void (pause?.pause(), pause && post({ type: 'paused' }));
    if (m.type === 'resume') return void (pause?.resume(), pause && post({ type: 'resumed' }));
    if (m.type === 'cancel') return void abort?.abort();
    if (abort) return post({ type: 'error', code: 'busy', message: 'a training run is already active in this worker; cancel it first' });
    pause = new EventYieldingPause();
    abort = new AbortController();
    run(m)
      .catch((e: unknown) => post({ type: 'error', code: e instanceof StudioError ? e.code : 'internal', message: postedErrorMessage(e) }))
      .finally(() => {
        pause = undefined;
        abort = undefined;
      });
  };
}
