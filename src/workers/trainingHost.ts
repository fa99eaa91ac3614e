// The training worker's logic, independent of `self` so Node tests can drive it with a fake port: on "start" it
// loads the model, makes (or reads cached) regularisation images, prepares the job and runs personalize() with
// pause / resume / cancel from later messages; every `snapshotEvery` steps it posts the concept pack so far; at the
// end it posts the pack and export files. One run at a time.
// Reference: src/train/loop (personalize, preparePersonalizeJob), protocol.ts.
import { postedErrorMessage, StudioError } from '../lib/errors';
import { fetchClipVocabulary, fetchModelFile } from './fetchModelFile';
import { loadAnyModel } from '../diffusion/loaders/detect';
import { MemoryFileSource } from '../diffusion/loaders/fileSource';
import type { FileSource } from '../diffusion/loaders/fileSource';
import { Txt2ImgPipeline } from '../diffusion/pipeline/txt2img';
import { describeBackend } from '../runtime/index';
import type { HostTensor, Runner } from '../runtime/index';
import { captionStyleFor, classPrompt } from '../train/data/captions';
import { regularisationImages } from '../train/data/regularisation';
import type { BlobCache } from '../train/data/regularisation';
import { packSettings, preparePersonalizeJob } from '../train/loop/job';
import { PauseController } from '../train/loop/PauseController';
import { personalize } from '../train/loop/personalize';
import type { Checkpoint, CheckpointStore, Stepper } from '../train/loop/types';
import { exportEcosystem } from '../train/pack/ecosystem';
import { packFromParams } from '../train/pack/fromParams';
import { baseModelHash } from '../train/pack/hash';
import { encodePack } from '../train/pack/io';
import type { FromTrainingWorker, ModelSpec, StartTraining, ToTrainingWorker } from './protocol';

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


type Probe = (stepper: Stepper, step: number) => Promise<unknown>;

/** The stored checkpoint of a run asked to resume; a clear refusal when this browser no longer has it. */
async function resumePoint(store: CheckpointStore, runId: string): Promise<Checkpoint> {
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
    const prompt = classPrompt(start.concepts, captionStyleFor(model.tokenizer));
    post({ type: 'status', phase: 'regularisation', detail: `${start.regularisationCount} image${start.regularisationCount === 1 ? '' : 's'} of "${prompt}" on ${describeBackend(runner.backend)}` });
    const pipe = new Txt2ImgPipeline(runner, model);
    const gen = (p: string, seed: number, size: number) => pipe.generate({ prompt: p, seed, steps: start.regularisationSteps ?? 25, sampler: 'DDIM', guidanceScale: 6, width: size, height: size, preview: 'none' }, { signal: abort?.signal });
    const size = model.unet.config.sample_size * 2 ** (model.vae.config.block_out_channels.length - 1);
    let cached = 0;
    const onImage = (i: number, wasCached: boolean) => post({ type: 'regularisation', done: i + 1, total: start.regularisationCount, cached: (cached += wasCached ? 1 : 0) });
    const reg = await regularisationImages({ modelHash: hash, prompt, seed: 10_000 + start.seed, count: start.regularisationCount, size, samplerSteps: start.regularisationSteps ?? 25 }, gen, deps.blobCache(), onImage);
    await pipe.dispose();
    post({ type: 'status', phase: 'building', detail: start.config?.recompute ? `building the training graph (recomputing each UNet ${start.config.recompute === 'layers' ? 'layer' : 'block'} in the backward)` : 'building the training graph' });
    const job = await preparePersonalizeJob(runner, model, { target: start.target, concepts: start.concepts, regularisation: reg, seed: start.seed, steps: start.steps, config: start.config, rowInit: start.rowInit });
    const store = announcingStore(deps.checkpointStore(start.runId), post);
    const probe = (start.attentionEvery ?? 0) > 0 ? await job.attentionProbe() : undefined;
    const makePack = (params: Record<string, HostTensor>, step: number, status: string) => packFromParams({
      params, baseUnet: model.unet.weights, concepts: start.concepts, kvLora: job.config.kvLora,
      metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: model.name, hash }, createdAt: new Date().toISOString(), settings: { ...packSettings(job), steps: step, seed: start.seed, regularisationImages: reg.length, status } },
    });
    const snapshots = snapshotProbe(start, probe?.probe, async (stepper, step) => post({ type: 'snapshot', step, packFiles: Object.fromEntries(encodePack(makePack(await stepper.readParams(), step, 'snapshot'))) }));
    post({ type: 'status', phase: 'training', detail: `${job.steps} steps` });
    const r = await personalize({
      ...job, accumulation: job.config.gradAccumulation, store, signal: abort?.signal, pause, checkpointEvery: start.checkpointEvery,
      resumeFrom: start.isResume ? await resumePoint(store, start.runId) : undefined, onProgress: (event) => post({ type: 'progress', event }),
      attentionEvery: snapshots.every, probeAttention: snapshots.probe,
    });
    await probe?.dispose();
    await job.dispose();
    // a finished run has nothing left to resume: free the checkpoint (a cancelled one keeps it for "Resume run")
    if (r.status === 'done') await store.clear().catch(() => undefined);
    post({ type: 'status', phase: 'saving', detail: 'writing the concept pack' });
    const pack = makePack(r.params, r.step, r.status);
    // the cheap files only (embeddings, full K/V diff, usage): the SVD LoRA and the Custom Diffusion file (W + Δ, a
    // second full K/V copy) are written when the user exports (generation worker 'export'), not at every run's end
    const exportFiles = exportEcosystem(pack, { title: start.exportTitle ?? 'studio_pack', resolution: `${job.resolution}x${job.resolution}` });
    post({ type: 'done', status: r.status, step: r.step, rollbacks: r.rollbacks, trainedOn: describeBackend(runner.backend), packFiles: Object.fromEntries(encodePack(pack)), exportFiles: Object.fromEntries(exportFiles) });
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
