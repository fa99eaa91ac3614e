// train:base resume (tools/trainBase): a stage interrupted at a checkpoint and resumed continues exactly as the
// uninterrupted run, because the checkpoint carries the stage's AdamW state (optimizer-<stage>.safetensors); without
// that file the moments restart and the weights come out different. Micro stage A: batch 2, 4 steps, real BASE_VAE.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../src/runtime/node';
import { loadCheckpoint, loadOptimizer, saveCheckpoint } from '../../../tools/trainBase/checkpoint';
import type { Params, RunState } from '../../../tools/trainBase/checkpoint';
import { trainVae } from '../../../tools/trainBase/stages';

const runner = createNodeRunner({ threads: 2 });
const dirs: string[] = [];
const freshState = (): RunState => ({ seed: 3, vaeSteps: 4, unetSteps: 0, vaeDone: 0, unetDone: 0, vaeLoss: [], unetLoss: [], vaeSeconds: 0, unetSeconds: 0, scalingFactor: 0 });
const freshParams = (): Params => ({ vae: new Map(), text_encoder: new Map(), unet: new Map() });

/** Runs stage A to 4 steps; with `stopAt`, stops at that checkpoint and resumes from the folder (optionally without the optimizer file). */
async function run(stopAt?: number, dropOptimizer = false): Promise<{ params: Params; state: RunState; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trainbase-resume-'));
  dirs.push(dir);
  let state = freshState();
  let params = freshParams();
  const abort = new AbortController();
  const save = (): void => {
    saveCheckpoint(dir, state, params);
    if (stopAt !== undefined && state.vaeDone >= stopAt) abort.abort();
  };
  const common = { runner, batch: 2, lr: 0.05, checkpointEvery: stopAt ?? 100, dir };
  await trainVae({ ...common, save, signal: abort.signal }, state, params);
  if (stopAt !== undefined) {
    expect(state.vaeDone).toBe(stopAt);
    if (dropOptimizer) rmSync(join(dir, 'optimizer-vae.safetensors'));
    const saved = loadCheckpoint(dir)!;
    state = saved.state;
    params = saved.params;
    await trainVae({ ...common, save: () => saveCheckpoint(dir, state, params) }, state, params);
  }
  return { params, state, dir };
}

function maxDiff(a: Params, b: Params): number {
  let d = 0;
  for (const [name, x] of a.vae) {
    const y = b.vae.get(name)!;
    for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  }
  return d;
}

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('when train:base stage A is interrupted and resumed', () => {
  it('continues exactly as the uninterrupted run (AdamW state restored), and differs when the moments restart', async () => {
    const straight = await run();
    const resumed = await run(2);
    expect(resumed.state.vaeDone).toBe(4);
    expect(resumed.state.vaeLoss).toHaveLength(4);
    resumed.state.vaeLoss.forEach((l, i) => expect(l).toBeCloseTo(straight.state.vaeLoss[i]!, 6));
    expect(maxDiff(straight.params, resumed.params)).toBeLessThan(1e-6);
    const opt = loadOptimizer(resumed.dir, 'vae')!;
    expect([opt.t, opt.done]).toEqual([4, 4]);
    expect(Object.keys(opt.slots).filter((k) => k.startsWith('m/'))).toHaveLength(straight.params.vae.size);

    const restarted = await run(2, true);
    expect(maxDiff(straight.params, restarted.params)).toBeGreaterThan(1e-4);
  }, 900_000);

  it('re-plans a resumed stage to its minutes budget 30 steps into the new run (here: past the deadline, so it stops there)', async () => {
    const { state, dir } = await run(2);
    state.vaeSteps = 1000;
    const params = loadCheckpoint(dir)!.params;
    await trainVae({ runner, batch: 2, lr: 0.05, checkpointEvery: 1000, dir, save: () => undefined, minutes: 1e-6 }, state, params);
    expect([state.vaeDone, state.vaeSteps]).toEqual([4 + 31, 4 + 31]);
  }, 900_000);
});
