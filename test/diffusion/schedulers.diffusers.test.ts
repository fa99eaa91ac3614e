// Cross-check against diffusers' own golden numbers (tests/schedulers/test_scheduler_ddim.py, full_loop
// with model(x,t) = x·t/(t+1), the 4×3×8×8 "dummy_sample_deter" = arange(768)/768, linear 1e-4→0.02,
// clip_sample on, 10 steps). Sum/mean of |x| ignore the element order, so the permutation is irrelevant.
import { describe, expect, it } from 'vitest';
import { createDdim } from '../../src/diffusion/schedulers/ddim';
import type { DdimConfig } from '../../src/diffusion/schedulers/ddim';

function loop(overrides: Partial<DdimConfig>): { sum: number; mean: number } {
  const s = createDdim(
    { betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear', clipSample: true, setAlphaToOne: true, stepsOffset: 0, ...overrides },
    10,
  );
  let x: Float32Array = Float32Array.from({ length: 768 }, (_, i) => i / 768);
  for (const t of s.timesteps) x = s.step(x.map((v) => (v * t) / (t + 1)), t, x).prevSample;
  const sum = x.reduce((a, v) => a + Math.abs(v), 0);
  return { sum, mean: sum / x.length };
}

describe('DDIM reproduces diffusers test_scheduler_ddim goldens (tolerances as diffusers: 1e-2 sum, 1e-3 mean)', () => {
  const cases: [string, Partial<DdimConfig>, number, number][] = [
    ['test_full_loop_no_noise', {}, 172.0067, 0.223967],
    ['test_full_loop_with_v_prediction', { predictionType: 'v_prediction' }, 52.5302, 0.0684],
    ['test_full_loop_with_set_alpha_to_one', { betaStart: 0.01, setAlphaToOne: true }, 149.8295, 0.1951],
    ['test_full_loop_with_no_set_alpha_to_one', { betaStart: 0.01, setAlphaToOne: false }, 149.0784, 0.1941],
  ];
  for (const [name, overrides, sum, mean] of cases) {
    it(name, () => {
      const r = loop(overrides);
      expect(Math.abs(r.sum - sum)).toBeLessThan(1e-2);
      expect(Math.abs(r.mean - mean)).toBeLessThan(1e-3);
    });
  }
});
