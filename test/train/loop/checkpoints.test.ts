// Checkpoint bytes and the Node folder store: save → load gives the same step, batch index, rollbacks and
// bit-equal params; clear removes it; a foreign safetensors file is refused; optimizer slots and step count round-trip
// (params-only checkpoints stay readable); the finiteness guard.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/diffusion/index';
import { decodeCheckpoint, encodeCheckpoint, isFiniteCheckpoint, isFiniteParams } from '../../../src/train/loop/checkpoints';
import { CHECKPOINT_FILE, NodeCheckpointStore } from '../../../src/train/loop/nodeCheckpointStore';
import type { Checkpoint } from '../../../src/train/loop/types';

const cp: Checkpoint = {
  step: 7, batchIndex: 9, rollbacks: 1,
  params: { extra_token_embeds: { dtype: 'float32', dims: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }, 'a.to_k.weight': { dtype: 'float32', dims: [1], data: Float32Array.of(-0.5) } },
};

describe('checkpoints', () => {
  it('round-trips through a Node folder and clears', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'disen-ckpt-'));
    try {
      const store = new NodeCheckpointStore(dir);
      expect(await store.load()).toBeUndefined();
      await store.save(cp);
      const back = await store.load();
      expect([back?.step, back?.batchIndex, back?.rollbacks]).toEqual([7, 9, 1]);
      expect(Object.fromEntries(Object.entries(back?.params ?? {}).map(([k, t]) => [k, [t.dims, Array.from(t.data as Float32Array)]]))).toEqual({
        extra_token_embeds: [[2, 3], [1, 2, 3, 4, 5, 6]], 'a.to_k.weight': [[1], [-0.5]],
      });
      await store.clear();
      expect(await store.load()).toBeUndefined();
      await writeFile(join(dir, CHECKPOINT_FILE), writeSafetensors({ x: { dtype: 'F32', shape: [1], data: Float32Array.of(1) } }));
      await expect(store.load()).rejects.toThrow(/not a DisenStudio training checkpoint/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('carries the optimizer slots and step count; a params-only checkpoint decodes without them', () => {
    const withOpt: Checkpoint = { ...cp, optimizer: { stepCount: 6, slots: { 'm/a.to_k.weight': { dtype: 'float32', dims: [1], data: Float32Array.of(0.25) }, 'v/a.to_k.weight': { dtype: 'float32', dims: [1], data: Float32Array.of(1e-6) } } } };
    const back = decodeCheckpoint(encodeCheckpoint(withOpt), 'mem');
    expect(Object.keys(back.params).sort()).toEqual(['a.to_k.weight', 'extra_token_embeds']);
    expect(back.optimizer?.stepCount).toBe(6);
    expect(Object.fromEntries(Object.entries(back.optimizer?.slots ?? {}).map(([k, t]) => [k, Array.from(t.data as Float32Array)]))).toEqual({ 'm/a.to_k.weight': [0.25], 'v/a.to_k.weight': [Float32Array.of(1e-6)[0]] });
    expect(decodeCheckpoint(encodeCheckpoint(cp), 'mem').optimizer).toBeUndefined();
    expect(isFiniteCheckpoint({ ...withOpt, optimizer: { stepCount: 6, slots: { 'v/x': { dtype: 'float32', dims: [1], data: Float32Array.of(Number.NaN) } } } })).toBe(false);
  });

  it('flags NaN and Inf parameters', () => {
    expect(isFiniteParams(decodeCheckpoint(encodeCheckpoint(cp), 'mem').params)).toBe(true);
    expect(isFiniteParams({ p: { dtype: 'float32', dims: [2], data: Float32Array.of(1, Number.POSITIVE_INFINITY) } })).toBe(false);
    expect(isFiniteParams({ p: { dtype: 'float32', dims: [1], data: Float32Array.of(Number.NaN) } })).toBe(false);
  });
});
