// A short seeded training run of the evaluator through TrainingSession (our autodiff + AdamW) lowers the loss,
// and the training crops and targets are what the world says.
import { describe, expect, it } from 'vitest';
import { CropPool, HEADS, sceneCrops, trainEvaluator } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';
import { isHeldOut } from '../../src/world/index';
import type { Scene, WorldObject } from '../../src/world/index';
import { nodeOrt } from '../helpers/ort';

describe('when training the evaluator for 30 steps (batch 8, seed 3)', () => {
  it('brings the mean loss of the last 5 steps at least 25% below the first 5', async () => {
    const r = await trainEvaluator(nodeOrt(), { steps: 30, batch: 8, seed: 3, poolSize: 24, refreshPerStep: 1 });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(r.steps).toBe(30);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(mean(r.losses.slice(-5))).toBeLessThan(0.75 * mean(r.losses.slice(0, 5)));
  }, 900_000);
});

describe('training crops', () => {
  const obj = (o: Partial<WorldObject>): WorldObject => ({ shape: 'circle', color: 'red', pattern: 'solid', size: 'small', cx: 0.5, cy: 0.5, radius: 0.14, angle: 0, ...o });

  it('label each proposal of a scene with the object it shows', () => {
    const scene: Scene = { background: 'grey', objects: [obj({ cx: 0.25, shape: 'star', color: 'yellow' }), obj({ cx: 0.75, shape: 'heart', pattern: 'striped' })] };
    expect(sceneCrops(scene).map((c) => c.object)).toEqual(scene.objects);
  });

  it('never show a HELD_OUT pair and carry one-hot targets (no colour target when colours are permuted)', () => {
    const pool = new CropPool(new Rng(8), 24);
    const b = pool.batch(40);
    expect(b.objects.some((o) => isHeldOut(o.color, o.shape))).toBe(false);
    expect(b.x.dims).toEqual([40, 4, 32, 32]);
    const y = b.y.data as Float32Array;
    const sums = (head: keyof typeof HEADS) => b.objects.map((_, i) => y.subarray(i * 19 + HEADS[head].offset, i * 19 + HEADS[head].offset + HEADS[head].size).reduce((a, v) => a + v, 0));
    expect(sums('shape').every((s) => s === 1)).toBe(true);
    expect(sums('pattern').every((s) => s === 1)).toBe(true);
    const colour = sums('color');
    expect(colour.every((s) => s === 0 || s === 1)).toBe(true);
    expect(colour.filter((s) => s === 0).length).toBeGreaterThan(5);
    b.objects.forEach((o, i) => expect(y[i * 19 + HEADS.shape.offset + ['circle', 'square', 'triangle', 'star', 'heart', 'diamond'].indexOf(o.shape)]).toBe(1));
  });
});
