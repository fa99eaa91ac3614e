// Per-term losses of a DisenDiff step on the tiny random folder model (onnxruntime-node): the loop's progress
// events carry loss_base, loss_bind, loss_separate (and loss_mask_attention with masks), averaged over the
// micro-batches like the total, and total = base + λ·(Σ bind + s&s) + λ_attn·mask_attention (docs/disendiff.md §2.7).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import type { PlanarImage } from '../../../src/train/data/image';
import type { RegularisationImage } from '../../../src/train/data/dataset';
import { preparePersonalizeJob } from '../../../src/train/loop/job';
import { DISENDIFF_TERMS } from '../../../src/train/config';
import type { DisenDiffConfig } from '../../../src/train/config';
import { personalize } from '../../../src/train/loop/personalize';
import type { ProgressEvent } from '../../../src/train/loop/types';
import { nodeOrt } from '../../helpers/ort';

/** 16×16 RGB with a red square left and a blue one right; with `masks`, one mask channel per square. */
function scene(masks: boolean): PlanarImage {
  const n = 256;
  const channels = masks ? 5 : 3;
  const data = new Float32Array(channels * n).fill(-1);
  for (let y = 4; y < 12; y++) {
    for (let x = 1; x < 7; x++) { data[y * 16 + x] = 1; if (masks) data[3 * n + y * 16 + x] = 1; }
    for (let x = 9; x < 15; x++) { data[2 * n + y * 16 + x] = 1; if (masks) data[4 * n + y * 16 + x] = 1; }
  }
  return { width: 16, height: 16, channels, data };
}

const rng = new Rng(5);
const reg: RegularisationImage[] = [{ image: { width: 16, height: 16, channels: 3, data: Float32Array.from({ length: 768 }, () => rng.uniform() * 2 - 1) }, caption: 'a cat and a dog' }];

async function events(masks: boolean, gradAccumulation: number, extra: Partial<DisenDiffConfig> = {}): Promise<{ events: ProgressEvent[]; weights: [number, number]; dataInputs: string[] }> {
  const model = await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 1 }), 'tiny'));
  const concepts = [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }];
  const job = await preparePersonalizeJob(nodeOrt(), model, { target: scene(masks), concepts, regularisation: reg, seed: 1, steps: 2, config: { batchSize: 1, gradAccumulation, ...extra } });
  const out: ProgressEvent[] = [];
  await personalize({ ...job, batches: (_i, m) => job.batches(0, m), accumulation: gradAccumulation, onProgress: (e) => out.push(e) });
  await job.dispose();
  return { events: out, weights: [job.config.attentionLossWeight, job.config.maskAttentionWeight], dataInputs: job.graph.dataInputs };
}

describe('when a DisenDiff step reports its loss terms', () => {
  it('with masks and 2 micro-batches: base, bind, s&s and mask attention add up to the total', async () => {
    const { events: ev, weights: [lambda, lambdaAttn] } = await events(true, 2);
    expect(ev).toHaveLength(2);
    for (const e of ev) {
      const l = e.losses as Record<string, number>;
      expect(Object.keys(l).sort()).toEqual(['loss_base', 'loss_bind', 'loss_mask_attention', 'loss_separate', 'total']);
      expect(Object.values(l).every((v) => Number.isFinite(v) && v > 0)).toBe(true);
      const sum = (l.loss_base as number) + lambda * ((l.loss_bind as number) + (l.loss_separate as number)) + lambdaAttn * (l.loss_mask_attention as number);
      expect(Math.abs((l.total as number) - sum)).toBeLessThan(1e-6 * Math.max(1, l.total as number));
      expect(l.total).toBeGreaterThan(l.loss_base as number);
    }
  }, 900_000);

  it('with masks drawn but the released method (useMasks false): the masks are dropped, no mask term, no mask input', async () => {
    const { events: ev, dataInputs } = await events(true, 1, { useMasks: false, terms: DISENDIFF_TERMS, unionSampling: false, subsetIsolation: false });
    expect(Object.keys(ev[0]?.losses as Record<string, number>).sort()).toEqual(['loss_base', 'loss_bind', 'loss_separate', 'total']);
    expect(dataInputs).not.toContain('concept_masks');
    // the same run with the masks used has the attention-to-mask input: the switch is what removed it
    expect((await events(true, 1)).dataInputs).toContain('concept_masks');
  }, 900_000);

  it('without masks in one fused micro-batch: base, bind and s&s add up to the total', async () => {
    const { events: ev, weights: [lambda] } = await events(false, 1);
    const l = ev[0]?.losses as Record<string, number>;
    expect(Object.keys(l).sort()).toEqual(['loss_base', 'loss_bind', 'loss_separate', 'total']);
    expect(Math.abs((l.total as number) - ((l.loss_base as number) + lambda * ((l.loss_bind as number) + (l.loss_separate as number))))).toBeLessThan(1e-6);
  }, 900_000);
});
