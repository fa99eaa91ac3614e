// The training worker's message handling (src/workers/trainingHost.ts) driven through a fake port on the tiny
// model in onnxruntime-node: status phases, progress, pause → paused → resume → done with pack files that load,
// cancel → a cancelled result, and a second start while busy is refused.
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { MemoryBlobCache } from '../../../src/train/data/regularisation';
import { MemoryCheckpointStore } from '../../../src/train/loop/checkpoints';
import { loadPack } from '../../../src/train/pack/io';
import type { FromTrainingWorker, StartTraining } from '../../../src/workers/protocol';
import { createTrainingHost } from '../../../src/workers/trainingHost';
import { toolExport } from '../../../src/workers/toolExport';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { readSafetensors } from '../../../src/diffusion/index';
import { nodeOrt } from '../../helpers/ort';

const files = Object.fromEntries(writeDiffusersFolder({ seed: 1 }));
const start: StartTraining = {
  type: 'start', runId: 'r1', model: { kind: 'files', label: 'tiny', files }, seed: 1, steps: 3, regularisationCount: 1, regularisationSteps: 1,
  target: { width: 16, height: 16, channels: 3, data: new Float32Array(768).fill(0.2) },
  concepts: [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }], config: { batchSize: 1, gradAccumulation: 1 }, isResume: false,
};

function host(onMessage: (m: FromTrainingWorker, send: ReturnType<typeof createTrainingHost>) => void, store: MemoryCheckpointStore = new MemoryCheckpointStore(), cache = new MemoryBlobCache()) {
  const seen: FromTrainingWorker[] = [];
  let finish: (m: FromTrainingWorker) => void = () => {};
  const ended = new Promise<FromTrainingWorker>((r) => (finish = r));
  const send = createTrainingHost((m) => {
    seen.push(m);
    onMessage(m, send);
    if (m.type === 'done' || (m.type === 'error' && m.code !== 'busy')) finish(m);
  }, { createRunner: async () => nodeOrt(), checkpointStore: () => store, blobCache: () => cache });
  return { send, seen, ended };
}

describe('the training worker host', () => {
  it('pauses on request, resumes, and posts a loadable pack when done', async () => {
    const h = host((m, send) => {
      if (m.type === 'status' && m.phase === 'training') send({ type: 'pause' });
      if (m.type === 'paused') setTimeout(() => send({ type: 'resume' }), 10);
    });
    h.send(start);
    h.send({ ...start, runId: 'r2' });
    const end = await h.ended;
    expect(h.seen.find((m) => m.type === 'error')).toMatchObject({ code: 'busy' });
    if (end.type !== 'done') throw new Error(JSON.stringify(end));
    expect([end.status, end.step, end.trainedOn]).toEqual(['done', 3, 'cpu']);
    expect(h.seen.find((m) => m.type === 'status' && m.phase === 'regularisation')).toMatchObject({ detail: '1 image of "a cat and a dog" on cpu' });
    expect(h.seen.filter((m) => m.type === 'status').map((m) => m.type === 'status' && m.phase)).toEqual(['loading', 'regularisation', 'building', 'training', 'saving']);
    expect(h.seen.filter((m) => m.type === 'progress')).toHaveLength(3);
    expect(h.seen.filter((m) => m.type === 'regularisation')).toEqual([{ type: 'regularisation', done: 1, total: 1, cached: 0 }]);
    expect(h.seen.map((m) => m.type)).toContain('resumed');
    const pack = await loadPack(new MemoryFileSource(new Map(Object.entries(end.packFiles))));
    expect(pack.concepts.map((c) => c.token)).toEqual(['<cat1>', '<dog1>']);
    // the run's end writes only the cheap files; the SVD LoRA is written when the user exports (toolExport)
    expect(Object.keys(end.exportFiles).sort()).toEqual(['cat1.safetensors', 'dog1.safetensors', 'studio_pack.safetensors', 'studio_pack_usage.txt']);
    const base = await loadDiffusersFolder(new MemoryFileSource(new Map(Object.entries(files)), 'tiny'));
    const all = await toolExport(end.packFiles, base, 'studio_pack', 8);
    expect(Object.keys(all).sort()).toEqual(['cat1.safetensors', 'dog1.safetensors', 'studio_pack.safetensors', 'studio_pack_lora_r8.safetensors', 'studio_pack_usage.txt']);
    expect(all['studio_pack.safetensors']).toEqual(end.exportFiles['studio_pack.safetensors']);
    expect(readSafetensors(all['studio_pack_lora_r8.safetensors'] as Uint8Array).metadata['modelspec.resolution']).toBe(readSafetensors(end.exportFiles['studio_pack.safetensors'] as Uint8Array).metadata['modelspec.resolution']);
  }, 900_000);

  it('trains at the lower resolution a memory plan chose, and says why while building', async () => {
    const h = host(() => undefined);
    h.send({ ...start, runId: 'low', steps: 1, lowered: { resolution: 8, reason: 'training at 8 px instead of 16 px: 16 px does not fit the 1 GiB GPU memory budget even with recomputation' } });
    const end = await h.ended;
    if (end.type !== 'done') throw new Error(JSON.stringify(end));
    expect(h.seen.find((m) => m.type === 'status' && m.phase === 'building')).toMatchObject({ detail: 'building the training graph; training at 8 px instead of 16 px: 16 px does not fit the 1 GiB GPU memory budget even with recomputation' });
    const pack = await loadPack(new MemoryFileSource(new Map(Object.entries(end.packFiles))));
    expect(pack.metadata.settings.resolution).toBe(8);
    // without the plan's choice the run keeps the model's own resolution
    const plain = host(() => undefined);
    plain.send({ ...start, runId: 'plain', steps: 1 });
    const normal = await plain.ended;
    if (normal.type !== 'done') throw new Error(JSON.stringify(normal));
    expect((await loadPack(new MemoryFileSource(new Map(Object.entries(normal.packFiles))))).metadata.settings.resolution).toBe(16);
  }, 900_000);

  it('counts the regularisation images and says which were read back from the cache on a second run', async () => {
    const cache = new MemoryBlobCache();
    const regOf = async (s: StartTraining) => {
      const h = host(() => undefined, new MemoryCheckpointStore(), cache);
      h.send(s);
      expect((await h.ended).type).toBe('done');
      return h.seen.filter((m) => m.type === 'regularisation');
    };
    const two = { ...start, steps: 1, regularisationCount: 2 };
    expect(await regOf(two)).toEqual([{ type: 'regularisation', done: 1, total: 2, cached: 0 }, { type: 'regularisation', done: 2, total: 2, cached: 0 }]);
    expect(cache.entries.size).toBe(2);
    expect((await regOf({ ...two, runId: 'r3', regularisationCount: 3 })).map((m) => m.type === 'regularisation' && m.cached)).toEqual([1, 2, 2]);
    // images of other sampler steps are other images: none is reused
    expect((await regOf({ ...two, runId: 'r4', regularisationSteps: 2 })).map((m) => m.type === 'regularisation' && m.cached)).toEqual([0, 0]);
    expect(cache.entries.size).toBe(5);
    // 0 skips the phase: the run trains on the reference alone
    expect(await regOf({ ...two, runId: 'r5', regularisationCount: 0 })).toEqual([]);
  }, 900_000);

  it('posts a broken model as a StudioError code and its bare message (no class-name prefix)', async () => {
    const h = host(() => {});
    h.send({ ...start, model: { kind: 'files', label: 'broken', files: { 'model_index.json': new TextEncoder().encode('{ not json') } } });
    const end = await h.ended;
    if (end.type !== 'error') throw new Error(JSON.stringify(end));
    expect(end.code).not.toBe('internal');
    expect(end.message).not.toMatch(/^\w*Error:/);
    expect(end.message).toMatch(/model_index\.json/);
  }, 900_000);

  it('stops with a cancelled result when cancelled after the first step', async () => {
    const h = host((m, send) => m.type === 'progress' && m.event.step === 1 && send({ type: 'cancel' }));
    h.send({ ...start, steps: 10 });
    const end = await h.ended;
    expect(end).toMatchObject({ type: 'done', status: 'cancelled', step: 1 });
  }, 900_000);

  it('announces each checkpoint, and a later start with isResume continues from the cancelled run\'s last one', async () => {
    const store = new MemoryCheckpointStore();
    const first = host((m, send) => m.type === 'progress' && m.event.step === 2 && send({ type: 'cancel' }), store);
    first.send({ ...start, steps: 4, checkpointEvery: 1 });
    expect(await first.ended).toMatchObject({ type: 'done', status: 'cancelled', step: 2 });
    expect(first.seen.filter((m) => m.type === 'checkpoint')).toEqual([{ type: 'checkpoint', step: 1 }, { type: 'checkpoint', step: 2 }]);
    const second = host(() => {}, store);
    second.send({ ...start, steps: 4, checkpointEvery: 1, isResume: true });
    expect(await second.ended).toMatchObject({ type: 'done', status: 'done', step: 4 });
    expect(second.seen.flatMap((m) => (m.type === 'progress' ? [m.event.step] : []))).toEqual([3, 4]);
    // a finished run frees its checkpoint
    expect(await store.load()).toBeUndefined();
  }, 900_000);

  it('refuses to resume a run whose checkpoint is gone, naming the run', async () => {
    const h = host(() => {});
    h.send({ ...start, isResume: true });
    const end = await h.ended;
    expect(end).toMatchObject({ type: 'error', code: 'resume' });
    expect(end.type === 'error' && end.message).toMatch(/cannot resume run "r1".*Start a new run/);
  }, 900_000);
});
