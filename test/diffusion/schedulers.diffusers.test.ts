// Cross-check against diffusers' own golden numbers (tests/schedulers/test_scheduler_{ddim,euler,
// dpm_multi}.py `full_loop`, model(x,t) = x·t/(t+1), the 4×3×8×8 dummy_sample_deter = arange(768)/768,
// linear betas 1e-4→0.02, 10 steps). Sum/mean of |x| ignore element order, so the permutation diffusers
// applies to the sample is irrelevant. Tolerances are diffusers' own (1e-2 on sums, 1e-3 on means).
import { describe, expect, it } from 'vitest';
import { createDdim } from '../../src/diffusion/schedulers/ddim';
import type { DdimConfig } from '../../src/diffusion/schedulers/ddim';
import { createDpmSolverMultistep } from '../../src/diffusion/schedulers/dpmSolverMultistep';
import type { DpmSolverMultistepConfig } from '../../src/diffusion/schedulers/dpmSolverMultistep';
import { createEuler } from '../../src/diffusion/schedulers/euler';
import type { EulerConfig } from '../../src/diffusion/schedulers/euler';
import type { Scheduler } from '../../src/diffusion/schedulers/types';

const LINEAR = { betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear' as const, stepsOffset: 0 };
const model = (x: Float32Array, t: number): Float32Array => x.map((v) => (v * t) / (t + 1));

/** diffusers full_loop; `isEulerStyle` reproduces test_scheduler_euler, which feeds the *scaled* sample to step(). */
function loop(s: Scheduler, isEulerStyle = false): { sum: number; mean: number } {
  let x: Float32Array = Float32Array.from({ length: 768 }, (_, i) => (i / 768) * s.initNoiseSigma);
  for (const t of s.timesteps) {
    if (isEulerStyle) x = s.scaleModelInput(x, t);
    x = s.step(model(x, t), t, x).prevSample;
  }
  const sum = x.reduce((a, v) => a + Math.abs(v), 0);
  return { sum, mean: sum / x.length };
}

describe('DDIM (test_scheduler_ddim.py, clip_sample on, set_alpha_to_one on)', () => {
  const cases: [string, Partial<DdimConfig>, number, number][] = [
    ['test_full_loop_no_noise', {}, 172.0067, 0.223967],
    ['test_full_loop_with_v_prediction', { predictionType: 'v_prediction' }, 52.5302, 0.0684],
    ['test_full_loop_with_set_alpha_to_one', { betaStart: 0.01, setAlphaToOne: true }, 149.8295, 0.1951],
    ['test_full_loop_with_no_set_alpha_to_one', { betaStart: 0.01, setAlphaToOne: false }, 149.0784, 0.1941],
  ];
  for (const [name, overrides, sum, mean] of cases) {
    it(name, () => {
      const r = loop(createDdim({ ...LINEAR, clipSample: true, setAlphaToOne: true, ...overrides }, 10));
      expect(Math.abs(r.sum - sum)).toBeLessThan(1e-2);
      expect(Math.abs(r.mean - mean)).toBeLessThan(1e-3);
    });
  }
});

describe('Euler (test_scheduler_euler.py, T = 1100)', () => {
  const cases: [string, Partial<EulerConfig>, number, number][] = [
    ['test_full_loop_no_noise', {}, 10.0807, 0.0131],
    ['test_full_loop_with_v_prediction', { predictionType: 'v_prediction' }, 0.0002, 2.2676e-6],
    ['test_full_loop_device_karras_sigmas', { useKarrasSigmas: true }, 124.52299499511719, 0.1621452271938324],
  ];
  for (const [name, overrides, sum, mean] of cases) {
    it(name, () => {
      const r = loop(createEuler({ ...LINEAR, numTrainTimesteps: 1100, ...overrides }, 10), true);
      expect(Math.abs(r.sum - sum)).toBeLessThan(1e-2);
      expect(Math.abs(r.mean - mean)).toBeLessThan(1e-3);
    });
  }
});

describe('DPM++ 2M (test_scheduler_dpm_multi.py, lower_order_final off, final_sigmas_type sigma_min)', () => {
  const cases: [string, Partial<DpmSolverMultistepConfig>, number][] = [
    ['test_full_loop_no_noise', {}, 0.3301],
    ['test_full_loop_with_v_prediction', { predictionType: 'v_prediction' }, 0.2251],
  ];
  for (const [name, overrides, mean] of cases) {
    it(name, () => {
      const s = createDpmSolverMultistep({ ...LINEAR, lowerOrderFinal: false, finalSigmasType: 'sigma_min', ...overrides }, 10);
      expect(Math.abs(loop(s).mean - mean)).toBeLessThan(1e-3);
    });
  }
});
