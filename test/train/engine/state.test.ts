// TrainingSession.readState / restore: a second session restored from the first one's state continues exactly
// (params, Adam moments and t), while one restarted from the params alone does not; restore names bad states.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import type { HostTensor } from '../../../src/runtime/types';
import { TrainingSession } from '../../../src/train/engine/trainStep';
import { closeness, nodeOrt } from '../../helpers/ort';
import { linearData, linearModel, tensor } from './models';

const ADAMW = { kind: 'adamw' as const, lr: 0.05, weightDecay: 0.01 };
const make = (accumulationSteps = 1) => TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: { W: undefined, c: undefined }, optimizer: ADAMW, accumulationSteps });
const data = (n: number, seed: number) => Array.from({ length: n }, (_, i) => linearData(new Rng(seed + i), 8));
const w = (p: Record<string, HostTensor>) => p.W?.data as Float32Array;

describe('when a session is restored from another session\'s state', () => {
  it('continues bit-for-bit like the original (params, moments, t), unlike a restart from the params alone', async () => {
    const [first, rest] = [data(3, 10), data(3, 20)];
    const a = await make();
    for (const b of first) await a.step(b);
    const state = await a.readState();
    expect(state.stepCount).toBe(3);
    expect(Object.keys(state.slots).sort()).toEqual(['m/W', 'm/c', 'v/W', 'v/c']);
    expect(Array.from(state.slots['v/W']?.data as Float32Array).every((v) => v > 0)).toBe(true);
    const b = await make();
    await b.restore(state);
    const c = await TrainingSession.create({ runner: nodeOrt(), backward: linearModel(8), trainable: state.params, optimizer: ADAMW });
    for (const batch of rest) {
      const [ra, rb] = [await a.step(batch), await b.step(batch)];
      await c.step(batch);
      expect(rb.loss).toBe(ra.loss);
    }
    expect([a.stepCount, b.stepCount, c.stepCount]).toEqual([6, 6, 3]);
    const [pa, pb, pc] = [await a.readParams(), await b.readParams(), await c.readParams()];
    expect(Array.from(w(pb))).toEqual(Array.from(w(pa)));
    expect(closeness(w(pc), w(pa), 1e-6, 1e-5)).toBeGreaterThan(1);
    for (const s of [a, b, c]) await s.dispose();
  });

  it('restores an accumulating session too', async () => {
    const [head, ...tail] = data(4, 30);
    const a = await make(2);
    await a.step(head as ReturnType<typeof linearData>, head as ReturnType<typeof linearData>);
    const b = await make(2);
    await b.restore(await a.readState());
    for (const d of tail) {
      await a.step(d, d);
      await b.step(d, d);
    }
    expect(Array.from(w(await b.readParams()))).toEqual(Array.from(w(await a.readParams())));
    await a.dispose();
    await b.dispose();
  });
});

describe('when the state does not fit the session', () => {
  it('names the missing slot, the wrong shape and a bad step count', async () => {
    const s = await make();
    const good = await s.readState();
    const noV = Object.fromEntries(Object.entries(good.slots).filter(([k]) => k !== 'v/c'));
    await expect(s.restore({ ...good, slots: noV })).rejects.toThrow(/lacks v\/c/);
    await expect(s.restore({ ...good, params: { ...good.params, W: tensor([1, 3], new Float32Array(3)) } })).rejects.toThrow(/"W" is float32\[1,3\], the session holds float32\[3,1\]/);
    await expect(s.restore({ ...good, stepCount: -1 })).rejects.toThrow(/stepCount must be an integer ≥ 0, got -1/);
    await s.dispose();
  });
});
