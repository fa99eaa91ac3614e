// The personalization job with activation recomputation (DisenDiffConfig.recompute = 'layers'): on the tiny folder
// model a short run gives the same losses, step by step, and the same trained params as the run without it
// (recomputation changes when activations are made, not what is computed), and a recompute run cancelled after a
// checkpoint resumes to the uninterrupted run's result.
import { describe, expect, it } from 'vitest';
import type { RecomputeGranularity } from '../../../src/train/index';
import { decodeCheckpoint, encodeCheckpoint, MemoryCheckpointStore } from '../../../src/train/loop/checkpoints';
import { preparePersonalizeJob } from '../../../src/train/loop/job';
import { personalize } from '../../../src/train/loop/personalize';
import type { PersonalizeOptions } from '../../../src/train/loop/personalize';
import type { Checkpoint } from '../../../src/train/loop/types';
import { nodeOrt } from '../../helpers/ort';
import { tinyFolderModel, TWO_CONCEPTS, twoSquaresScene } from '../twoSquares';

const STEPS = 4;
const concepts = TWO_CONCEPTS;

/** Runs the tiny job (a fresh model: the job adds the concept tokens) and returns the losses of every step. */
async function run(recompute: RecomputeGranularity | undefined, extra: Partial<PersonalizeOptions> = {}) {
  const model = await tinyFolderModel();
  const job = await preparePersonalizeJob(nodeOrt(), model, { target: twoSquaresScene(), concepts, regularisation: [], seed: 1, steps: STEPS, config: { batchSize: 1, gradAccumulation: 1, learningRate: 1e-2, recompute } });
  const losses: Record<number, Record<string, number>> = {};
  try {
    const r = await personalize({ ...job, accumulation: 1, steps: STEPS, ...extra, onProgress: (e) => { losses[e.step] = { ...e.losses }; extra.onProgress?.(e); } });
    return { r, losses, nodes: job.graph.backward.graph.nodes };
  } finally {
    await job.dispose();
  }
}

const flat = (p: Record<string, { data: unknown }>): number[] => Object.keys(p).sort().flatMap((k) => Array.from(p[k]?.data as Float32Array));

describe('when the personalization job recomputes each UNet layer', () => {
  it('builds the rewritten graph and trains to the same losses and params as without; a cancelled run resumes', async () => {
    const plain = await run(undefined);
    expect(plain.nodes.some((n) => n.name.startsWith('grad/recompute/'))).toBe(false);
    expect(Object.keys(plain.losses).map(Number)).toEqual([1, 2, 3, 4]);
    // steps 1–2 with recomputation, cancelled after the step-2 checkpoint, then resumed (recomputing) to step 4
    const store = new MemoryCheckpointStore();
    const ctrl = new AbortController();
    const cut = await run('layers', { store, checkpointEvery: 1, signal: ctrl.signal, onProgress: (e) => e.step === 2 && ctrl.abort() });
    expect(cut.nodes.some((n) => n.name.startsWith('grad/recompute/'))).toBe(true);
    expect(cut.r.status).toBe('cancelled');
    const saved = decodeCheckpoint(encodeCheckpoint((await store.load()) as Checkpoint), 'recompute resume test');
    expect(saved.step).toBe(2);
    const resumed = await run('layers', { resumeFrom: saved });
    expect([resumed.r.status, resumed.r.step]).toEqual(['done', STEPS]);
    expect({ ...cut.losses, ...resumed.losses }).toEqual(plain.losses);
    expect(flat(resumed.r.params)).toEqual(flat(plain.r.params));
  }, 120_000);
});
