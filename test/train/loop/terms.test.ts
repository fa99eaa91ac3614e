// Per-term losses of a DisenDiff step on the tiny random folder model (onnxruntime-node): the loop's progress
// events carry loss_base, loss_bind, loss_separate (and loss_mask_attention with masks), averaged over the
// micro-batches like the total, and total = base + λ·(Σ bind + s&s) + λ_attn·mask_attention (docs/disendiff.md §2.7).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import type { RegularisationImage } from '../../../src/train/data/dataset';
import { preparePersonalizeJob } from '../../../src/train/loop/job';
import { DISENDIFF_TERMS } from '../../../src/train/config';
import type { DisenDiffConfig } from '../../../src/train/config';
import { personalize } from '../../../src/train/loop/personalize';
import type { ProgressEvent } from '../../../src/train/loop/types';
import { nodeOrt } from '../../helpers/ort';
import { tinyFolderModel, TWO_CONCEPTS, twoSquaresScene } from '../twoSquares';

const rng = new Rng(5);
const reg: RegularisationImage[] = [{ image: { width: 16, height: 16, channels: 3, data: Float32Array.from({ length: 768 }, () => rng.uniform() * 2 - 1) }, caption: 'a cat and a dog' }];

async function events(masks: boolean, gradAccumulation: number, extra: Partial<DisenDiffConfig> = {}): Promise<{ events: ProgressEvent[]; weights: [number, number]; dataInputs: string[] }> {
  const model = await tinyFolderModel();
  const concepts = TWO_CONCEPTS;
  const job = await preparePersonalizeJob(nodeOrt(), model, { target: twoSquaresScene(masks), concepts, regularisation: reg, seed: 1, steps: 2, config: { batchSize: 1, gradAccumulation, ...extra } });
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
