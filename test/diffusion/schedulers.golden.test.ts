// Golden full-loop tests for every scheduler and every config enum value, against the NumPy oracle
// in tools/fixtures/schedulers.py (test/fixtures/diffusion/schedulers.json). Also ᾱ_t spot values.
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/diffusion/schedulers.json';
import { alphasCumprod } from '../../src/diffusion/schedulers/betas';
import { createDdim } from '../../src/diffusion/schedulers/ddim';
import { createDdpm } from '../../src/diffusion/schedulers/ddpm';
import { createDpmSolverMultistep } from '../../src/diffusion/schedulers/dpmSolverMultistep';
import { createEuler } from '../../src/diffusion/schedulers/euler';
import { createEulerAncestral } from '../../src/diffusion/schedulers/eulerAncestral';
import type { BetaSchedule, Scheduler } from '../../src/diffusion/schedulers/types';
import type { SchedulerOverrides } from '../../src/diffusion/schedulers/registry';
import { fullLoop, toOverrides } from './schedulerHarness';
import type { FixtureConfig } from './schedulerHarness';

const FACTORIES: Record<string, (o: SchedulerOverrides, n: number) => Scheduler> = {
  ddim: createDdim,
  ddpm: createDdpm,
  euler: createEuler,
  eulerAncestral: createEulerAncestral,
  dpmSolverMultistep: createDpmSolverMultistep,
};

const { rtol, atol } = fixture.tolerance;
const close = (a: number, b: number): boolean => Math.abs(a - b) <= atol + rtol * Math.abs(b);

describe('alphas_cumprod against the oracle', () => {
  const betaRanges: Record<BetaSchedule, [number, number]> = {
    scaled_linear: [0.00085, 0.012],
    linear: [0.0001, 0.02],
    squaredcos_cap_v2: [0.0001, 0.02],
  };
  for (const schedule of Object.keys(betaRanges) as BetaSchedule[]) {
    it(`matches ${schedule} at t = ${fixture.alphasCumprod.t.join(', ')}`, () => {
      const [betaStart, betaEnd] = betaRanges[schedule];
      const acp = alphasCumprod({ numTrainTimesteps: 1000, betaStart, betaEnd, betaSchedule: schedule });
      fixture.alphasCumprod.t.forEach((t, i) => {
        expect(acp[t]).toBeCloseTo(fixture.alphasCumprod[schedule][i] as number, 12);
      });
    });
  }
  it('gives the known SD1.x values ᾱ_0 = 0.99915 and ᾱ_999 ≈ 0.00466', () => {
    const acp = alphasCumprod({ numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' });
    expect(acp[0]).toBeCloseTo(0.99915, 10);
    expect(acp[999]).toBeCloseTo(0.00466, 5);
  });
});

describe('full denoising loop with the dummy model', () => {
  for (const c of fixture.cases) {
    const cfg = c.config as unknown as FixtureConfig;
    const label = `${c.scheduler} n=${c.numSteps} ${Object.entries(cfg).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`;
    it(label, () => {
      const factory = FACTORIES[c.scheduler];
      if (!factory) throw new Error(`no factory for ${c.scheduler}`);
      const s = factory(toOverrides(cfg), c.numSteps);
      expect(s.timesteps.length).toBe(c.timesteps.length);
      s.timesteps.forEach((t, i) => expect(t).toBeCloseTo(c.timesteps[i] as number, 6));
      expect(close(s.initNoiseSigma, c.initNoiseSigma)).toBe(true);
      const x = fullLoop(s);
      const sumAbs = x.reduce((a, v) => a + Math.abs(v), 0);
      expect(close(sumAbs, c.sumAbs), `sumAbs ${sumAbs} vs ${c.sumAbs}`).toBe(true);
      expect(close(sumAbs / x.length, c.meanAbs)).toBe(true);
      c.first.forEach((v, i) => expect(close(x[i] as number, v), `x[${i}] ${x[i]} vs ${v}`).toBe(true));
    });
  }
});
