// A personalization job with K/V as LoRA factors (DisenDiffConfig.kvLora) on the tiny random-weight folder model:
// the job's initial params are the modifier rows and the factors (down seeded, up = 0); AdamW moves them; a run
// cancelled mid-way and resumed from its encoded checkpoint (optimizer moments included) ends where an uninterrupted
// run ends; a full-K/V checkpoint is refused; the result becomes a LoRA pack that changes the model's K/V.
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../../../src/runtime/types';
import { decodeCheckpoint, encodeCheckpoint, MemoryCheckpointStore } from '../../../src/train/loop/checkpoints';
import { packSettings, preparePersonalizeJob } from '../../../src/train/loop/job';
import type { PersonalizeJob } from '../../../src/train/loop/job';
import { personalize } from '../../../src/train/loop/personalize';
import type { Checkpoint } from '../../../src/train/loop/types';
import { packFromParams } from '../../../src/train/pack/fromParams';
import { closeness, nodeOrt } from '../../helpers/ort';
import { tinyFolderModel, TWO_CONCEPTS, twoSquaresScene } from '../twoSquares';

const concepts = TWO_CONCEPTS;

async function job(kvLora?: { rank: number; alpha?: number }): Promise<PersonalizeJob> {
  const model = await tinyFolderModel();
  return preparePersonalizeJob(nodeOrt(), model, { target: twoSquaresScene(false), concepts, regularisation: [], seed: 1, steps: 6, config: { batchSize: 1, gradAccumulation: 1, learningRate: 1e-2, ...(kvLora ? { kvLora } : {}) } });
}

const flat = (p: Record<string, HostTensor>): Float32Array => Float32Array.from(Object.keys(p).sort().flatMap((k) => Array.from(p[k]?.data as Float32Array)));

describe('a tiny personalization run with K/V as LoRA factors', () => {
  it('trains the factors from up = 0, resumes from a checkpoint to the uninterrupted result, and packs LoRA deltas', async () => {
    const j = await job({ rank: 4 });
    const plan = j.graph.kvLora;
    expect(plan?.rank).toBe(4);
    expect(Object.keys(j.initialParams).sort()).toEqual([...j.graph.trainable].sort());
    for (const f of plan?.factors ?? []) {
      expect((j.initialParams[f.up]?.data as Float32Array).every((v) => v === 0)).toBe(true);
      expect((j.initialParams[f.down]?.data as Float32Array).some((v) => v !== 0)).toBe(true);
    }
    expect(packSettings(j)).toMatchObject({ kvLoraRank: 4, kvLoraAlpha: 4 });
    const base = { ...j, accumulation: 1, steps: 6, checkpointEvery: 2 };
    const straight = await personalize(base);
    expect([straight.status, straight.step, straight.rollbacks]).toEqual(['done', 6, 0]);
    for (const f of plan?.factors ?? []) expect((straight.params[f.up]?.data as Float32Array).some((v) => v !== 0), f.up).toBe(true);

    const store = new MemoryCheckpointStore();
    const ctrl = new AbortController();
    await personalize({ ...base, store, signal: ctrl.signal, onProgress: (e) => e.step === 3 && ctrl.abort() });
    const saved = decodeCheckpoint(encodeCheckpoint((await store.load()) as Checkpoint), 'lora resume test');
    expect(saved.step).toBe(3);
    expect(Object.keys(saved.optimizer?.slots ?? {})).toContain(`m/${plan?.factors[0]?.up}`);
    const resumed = await personalize({ ...base, resumeFrom: saved });
    expect(resumed.step).toBe(6);
    expect(closeness(flat(resumed.params), flat(straight.params), 1e-6, 1e-6)).toBeLessThanOrEqual(1);

    const full = await job();
    await expect(personalize({ ...full, accumulation: 1, steps: 6, resumeFrom: saved })).rejects.toThrow(/cannot resume: the checkpoint holds other trainables/);
    await full.dispose();

    const model = await tinyFolderModel();
    const pack = packFromParams({ params: straight.params, baseUnet: model.unet.weights, concepts, kvLora: j.config.kvLora, metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'tiny', hash: 'ab'.repeat(32) }, createdAt: '2026-12-07T00:00:00Z', settings: packSettings(j) } });
    expect(pack.deltas.length).toBe(plan?.factors.length);
    expect(pack.deltas.every((d) => d.lora?.rank === 4 && d.delta.some((v) => v !== 0))).toBe(true);
    await j.dispose();
  }, 900_000);
});
