// Folder scheduler configs honoured key by key with diffusers' semantics: each registry sampler built from a
// scheduler_config.json (parseSchedulerConfig → createSchedulerFromConfig) gives diffusers' own timesteps, sigmas,
// initial noise scale and full-loop result on the dummy model. Oracle: diffusers' scheduler source run on PyTorch
// (tools/ecosystem/scheduler_configs.py → test/fixtures/diffusion/scheduler-configs.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSchedulerConfig } from '../../src/diffusion/loaders/configs';
import { createSchedulerFromConfig } from '../../src/diffusion/schedulers/registry';
import { ModelAssetError } from '../../src/lib/errors';
import { fullLoop } from './schedulerHarness';

type Case = { config: string; folder: Record<string, unknown>; sampler: string; steps: number; timesteps: number[]; sigmas: number[] | null; initNoiseSigma: number; final: number[] };
const fixture = JSON.parse(readFileSync(new URL('../fixtures/diffusion/scheduler-configs.json', import.meta.url), 'utf8')) as { cases: Case[] };

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a, (v, i) => Math.abs(v - (b[i] as number))).reduce((m, d) => Math.max(m, d), 0);
const scale = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 1);

describe('a scheduler built from a folder config', () => {
  it.each(fixture.cases.map((c) => [c.config, c.sampler, c] as const))('%s, %s: equals diffusers', (_c, _s, c) => {
    const s = createSchedulerFromConfig(c.sampler, c.steps, parseSchedulerConfig(c.folder).overrides);
    expect(maxAbs(s.timesteps, c.timesteps)).toBeLessThan(1e-3);
    expect(Math.abs(s.initNoiseSigma - c.initNoiseSigma) / c.initNoiseSigma).toBeLessThan(1e-5);
    const final = fullLoop(s);
    expect(maxAbs(final, c.final) / scale(c.final)).toBeLessThan(2e-5);
  });

  it('clips DDIM\'s x₀ when the config lacks clip_sample, as diffusers does, and not when it says false', () => {
    const bare = fixture.cases.find((c) => c.sampler === 'DDIM' && c.config.startsWith('betas only')) as Case;
    const clipped = fullLoop(createSchedulerFromConfig('DDIM', 10, parseSchedulerConfig(bare.folder).overrides));
    const unclipped = fullLoop(createSchedulerFromConfig('DDIM', 10, parseSchedulerConfig({ ...bare.folder, clip_sample: false, set_alpha_to_one: true }).overrides));
    expect(maxAbs(clipped, unclipped)).toBeGreaterThan(0.5);
  });

  it('refuses a key it would otherwise ignore, naming file and key', () => {
    expect(() => parseSchedulerConfig({ thresholding: true }, 'x/scheduler_config.json')).toThrow(ModelAssetError);
    expect(() => parseSchedulerConfig({ thresholding: true }, 'x/scheduler_config.json')).toThrow('x/scheduler_config.json: "thresholding" is true; the studio supports only false');
    expect(() => parseSchedulerConfig({ timestep_spacing: 'sideways' })).toThrow('scheduler/scheduler_config.json: "timestep_spacing" is "sideways"; expected "leading" | "trailing" | "linspace".');
  });
});
