// A short seeded training run of the evaluator through TrainingSession (our autodiff + AdamW) lowers the loss,
// and the training inputs/targets are what the world says.
import { describe, expect, it } from 'vitest';
import { toTargets, trainEvaluator, trainingBatch, HEADS } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';
import { isHeldOut } from '../../src/world/index';
import { nodeOrt } from '../helpers/ort';

describe('when training the evaluator for 30 steps (batch 8, seed 3)', () => {
  it('brings the mean loss of the last 5 steps at least 25% below the first 5', async () => {
    const r = await trainEvaluator(nodeOrt(), { steps: 30, batch: 8, seed: 3, poolSize: 64, refreshPerStep: 2 });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(r.steps).toBe(30);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(mean(r.losses.slice(-5))).toBeLessThan(0.75 * mean(r.losses.slice(0, 5)));
  }, 60_000);
});

describe('training batches', () => {
  it('never contain a HELD_OUT pair and label every object', () => {
    const b = trainingBatch(new Rng(8), 40);
    expect(b.scenes.flatMap((s) => s.objects).some((o) => isHeldOut(o.color, o.shape))).toBe(false);
    expect(b.x.dims).toEqual([40, 3, 64, 64]);
    const y = toTargets(b.scenes).data as Float32Array;
    b.scenes.forEach((s, i) => {
      const row = y.subarray(i * 22, (i + 1) * 22);
      expect(row[HEADS.count.offset + s.objects.length - 1]).toBe(1);
      expect(Array.from(row.subarray(HEADS.shape.offset, HEADS.shape.offset + HEADS.shape.size)).reduce((a, v) => a + v, 0)).toBe(new Set(s.objects.map((o) => o.shape)).size);
    });
  });
});
