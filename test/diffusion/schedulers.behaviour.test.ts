// Behaviour of the scheduler contract beyond the goldens: registry names and errors, SD1.5 timesteps,
// addNoise per batch element, required noise, multistep ordering. Hand-computed expectations.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/lib/errors';
import { alphasCumprod } from '../../src/diffusion/schedulers/betas';
import { SD15_BETAS } from '../../src/diffusion/schedulers/common';
import { createDdpm } from '../../src/diffusion/schedulers/ddpm';
import { createScheduler, SAMPLERS, samplerNames } from '../../src/diffusion/schedulers/registry';
import { baseSample, dummyModel, N, noiseAt } from './schedulerHarness';

describe('the sampler registry', () => {
  it('lists the A1111 names users expect', () => {
    expect(samplerNames()).toEqual(['DPM++ 2M Karras', 'DPM++ 2M', 'Euler a', 'Euler', 'DDIM', 'DDPM']);
    for (const name of samplerNames()) expect(createScheduler(name, 10).name).toBe(name);
    expect(SAMPLERS['Euler a']?.diffusers).toBe('EulerAncestralDiscreteScheduler');
  });
  it('rejects an unknown name with the list of valid names', () => {
    expect(() => createScheduler('euler_a', 10)).toThrow(ConfigError);
    expect(() => createScheduler('euler_a', 10)).toThrow(/Unknown sampler "euler_a".*"Euler a".*"DDIM"/);
    expect(() => createScheduler('toString', 10)).toThrow(/Unknown sampler/);
  });
  it('rejects bad enum values and step counts, naming the field and the valid values', () => {
    expect(() => createScheduler('DDIM', 10, { timestepSpacing: 'even' as never })).toThrow(/timestepSpacing "even".*leading, trailing, linspace/);
    expect(() => createScheduler('Euler', 10, { betaSchedule: 'cosine' as never })).toThrow(/betaSchedule "cosine"/);
    expect(() => createScheduler('DPM++ 2M', 0)).toThrow(/numSteps must be an integer in 1…1000, got 0/);
  });
  it('DDIM with SD1.5 defaults runs 981 … 1 in 50 steps; Karras is on only for "DPM++ 2M Karras"', () => {
    const ddim = createScheduler('DDIM', 50);
    expect(ddim.timesteps[0]).toBe(981);
    expect(ddim.timesteps[49]).toBe(1);
    expect(createScheduler('DPM++ 2M', 10).timesteps.slice(0, 3)).toEqual([999, 899, 799]);
    expect(createScheduler('DPM++ 2M Karras', 10).timesteps.slice(0, 3)).toEqual([999, 916, 815]);
  });
});

describe('addNoise', () => {
  it('mixes √ᾱ_t·x₀ + √(1−ᾱ_t)·ε with one timestep per batch element (DDPM training noise)', () => {
    const acp = alphasCumprod(SD15_BETAS);
    const s = createDdpm({}, 1000);
    const x0 = Float32Array.from([1, 2, 3, 4]);
    const eps = Float32Array.from([0.5, -0.5, 1, -1]);
    const out = s.addNoise(x0, eps, [0, 999]);
    const a0 = acp[0] as number;
    const a1 = acp[999] as number;
    expect(out[1]).toBeCloseTo(Math.sqrt(a0) * 2 - Math.sqrt(1 - a0) * 0.5, 6);
    expect(out[3]).toBeCloseTo(Math.sqrt(a1) * 4 - Math.sqrt(1 - a1), 6);
    expect(() => s.addNoise(x0, eps, [0, 1, 2])).toThrow(/3 timesteps for 4 elements/);
    expect(() => s.addNoise(x0, eps, [1000])).toThrow(/integer in 0…999/);
  });
  it('uses x₀ + σ·ε on the Euler grid and refuses timesteps outside it', () => {
    const s = createScheduler('Euler', 10);
    const t = s.timesteps[0] as number;
    const out = s.addNoise(Float32Array.from([1]), Float32Array.from([1]), [t]);
    expect(out[0]).toBeCloseTo(1 + s.initNoiseSigma, 4);
    expect(() => s.addNoise(Float32Array.from([1]), Float32Array.from([1]), [500])).toThrow(/not in this schedule/);
  });
});

describe('stochastic steps take noise as an argument', () => {
  it('Euler a, DDPM and DDIM η=1 throw without noise; DDIM η=0 does not', () => {
    const x = baseSample();
    for (const [name, o] of [['Euler a', {}], ['DDPM', {}], ['DDIM', { eta: 1 }]] as const) {
      const s = createScheduler(name, 10, o);
      const t = s.timesteps[0] as number;
      expect(() => s.step(dummyModel(x, t), t, x)).toThrow(/noise/);
      expect(s.step(dummyModel(x, t), t, x, noiseAt(0)).prevSample.length).toBe(N);
    }
    const ddim = createScheduler('DDIM', 10);
    expect(ddim.step(dummyModel(x, 901), 901, x).prevSample.length).toBe(N);
  });
  it('same inputs and noise give bit-identical results (no hidden RNG)', () => {
    const x = baseSample();
    const a = createScheduler('Euler a', 10).step(dummyModel(x, 999), 999, x, noiseAt(3)).prevSample;
    const b = createScheduler('Euler a', 10).step(dummyModel(x, 999), 999, x, noiseAt(3)).prevSample;
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('the multistep DPM++ solver', () => {
  it('refuses timesteps out of order, saying to make a new scheduler per image', () => {
    const s = createScheduler('DPM++ 2M', 10);
    const x = baseSample();
    expect(() => s.step(dummyModel(x, 899), 899, x)).toThrow(/999 \(index 0\) is next.*new scheduler per image/);
  });
  it('returns x̂₀ as the final sample (σ → 0)', () => {
    const s = createScheduler('DPM++ 2M', 2);
    let x = baseSample();
    let last = x;
    for (const t of s.timesteps) {
      const r = s.step(dummyModel(x, t), t, x);
      x = r.prevSample;
      last = r.predOriginalSample;
    }
    expect(Array.from(x)).toEqual(Array.from(last));
  });
});

describe('infotext names', () => {
  it('split Karras into A1111\'s "Schedule type"', () => {
    expect(SAMPLERS['DPM++ 2M Karras']?.infotext).toEqual({ sampler: 'DPM++ 2M', scheduleType: 'Karras', isA1111Automatic: true });
    expect(SAMPLERS['DPM++ 2M']?.infotext).toEqual({ sampler: 'DPM++ 2M', scheduleType: 'Uniform' });
    expect(SAMPLERS['Euler a']?.infotext).toEqual({ sampler: 'Euler a', isA1111Automatic: true });
    expect(SAMPLERS.DDPM?.infotext).toEqual({ sampler: null });
  });
});
