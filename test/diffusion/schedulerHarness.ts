// Test helper: the deterministic dummy model, sample and noise of tools/fixtures/schedulers.py, the
// diffusers-style full loop, and snake_case fixture config → our camelCase config. No I/O.
import type { Scheduler } from '../../src/diffusion/schedulers/types';
import type { SchedulerOverrides } from '../../src/diffusion/schedulers/registry';

export const N = 2 * 4 * 4 * 4;

export function baseSample(): Float32Array {
  return Float32Array.from({ length: N }, (_, i) => Math.sin(0.1 * i + 0.3) * 0.8 + ((i % 7) - 3) * 0.1);
}

export function noiseAt(k: number): Float32Array {
  return Float32Array.from({ length: N }, (_, i) => Math.cos(1.3 * i + 0.7 * k) * 0.9);
}

/** eps(x,t)[i] = 0.1·x[i]·(t/1000) + 0.05·sin(0.37·i + t/100). */
export function dummyModel(x: Float32Array, t: number): Float32Array {
  return Float32Array.from(x, (v, i) => 0.1 * v * (t / 1000) + 0.05 * Math.sin(0.37 * i + t / 100));
}

/** diffusers `full_loop`: x = initNoiseSigma·sample, then scale → model → step for each timestep. */
export function fullLoop(s: Scheduler): Float32Array {
  let x: Float32Array = baseSample().map((v) => v * s.initNoiseSigma);
  s.timesteps.forEach((t, k) => {
    const out = dummyModel(s.scaleModelInput(x, t), t);
    x = s.step(out, t, x, noiseAt(k)).prevSample;
  });
  return x;
}

export type FixtureConfig = Record<string, string | number | boolean>;

const KEYS: Record<string, keyof SchedulerOverrides> = {
  beta_start: 'betaStart',
  beta_end: 'betaEnd',
  beta_schedule: 'betaSchedule',
  timestep_spacing: 'timestepSpacing',
  steps_offset: 'stepsOffset',
  prediction_type: 'predictionType',
  clip_sample: 'clipSample',
  set_alpha_to_one: 'setAlphaToOne',
  eta: 'eta',
  variance_type: 'varianceType',
  use_karras_sigmas: 'useKarrasSigmas',
  solver_order: 'solverOrder',
  solver_type: 'solverType',
  lower_order_final: 'lowerOrderFinal',
  final_sigmas_type: 'finalSigmasType',
};

/** Maps the oracle's diffusers-named config onto ours; an unmapped key fails the test loudly. */
export function toOverrides(cfg: FixtureConfig): SchedulerOverrides {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg)) {
    const key = KEYS[k];
    if (!key) throw new Error(`fixture config key ${k} has no mapping`);
    out[key] = v;
  }
  return out as SchedulerOverrides;
}
