// Euler ancestral sampler ("Euler a"): an Euler step down to σ_down plus fresh noise of size σ_up,
// diffusers EulerAncestralDiscreteScheduler semantics. Pure; the noise is an argument of step().
// Notation: σ_up = √(σ_to²(σ_from² − σ_to²)/σ_from²), σ_down = √(σ_to² − σ_up²) (k-diffusion
// get_ancestral_step, η = 1). Reference: diffusers scheduling_euler_ancestral_discrete.py `step`.
import { ConfigError } from '../../lib/errors';
import { checkLength } from './common';
import { denoisedFromSigma, EULER_DEFAULTS, eulerSchedule } from './euler';
import type { EulerConfig } from './euler';
import type { Scheduler, StepResult } from './types';

/** Euler-a config: Euler's without Karras sigmas (diffusers' ancestral scheduler has none). */
export type EulerAncestralConfig = Omit<EulerConfig, 'useKarrasSigmas'>;

export const EULER_ANCESTRAL_DEFAULTS: EulerAncestralConfig = {
  numTrainTimesteps: EULER_DEFAULTS.numTrainTimesteps,
  betaStart: EULER_DEFAULTS.betaStart,
  betaEnd: EULER_DEFAULTS.betaEnd,
  betaSchedule: EULER_DEFAULTS.betaSchedule,
  timestepSpacing: EULER_DEFAULTS.timestepSpacing,
  stepsOffset: EULER_DEFAULTS.stepsOffset,
  predictionType: EULER_DEFAULTS.predictionType,
};

/** Creates an "Euler a" run. Every step except the last needs unit-normal `noise`. */
export function createEulerAncestral(
  config: Partial<EulerAncestralConfig>,
  numSteps: number,
  name = 'Euler a',
): Scheduler {
  const cfg: EulerConfig = { ...EULER_DEFAULTS, ...config, useKarrasSigmas: false };
  const sched = eulerSchedule(name, cfg, numSteps);
  const step = (modelOutput: Float32Array, timestep: number, sample: Float32Array, noise?: Float32Array): StepResult => {
    checkLength(name, 'modelOutput', modelOutput, sample.length);
    const i = sched.indexOf(timestep);
    const from = sched.sigmas[i] as number;
    const to = sched.sigmas[i + 1] as number;
    const up = Math.sqrt((to * to * (from * from - to * to)) / (from * from));
    const down = Math.sqrt(to * to - up * up);
    if (up > 0 && noise === undefined) {
      throw new ConfigError(`${name}: step at timestep ${timestep} adds noise (σ_up = ${up.toFixed(4)}); pass unit-normal noise.`);
    }
    if (noise) checkLength(name, 'noise', noise, sample.length);
    const prevSample = new Float32Array(sample.length);
    const predOriginalSample = new Float32Array(sample.length);
    for (let k = 0; k < sample.length; k++) {
      const x = sample[k] as number;
      const x0 = denoisedFromSigma(cfg.predictionType, modelOutput[k] as number, x, from);
      predOriginalSample[k] = x0;
      const z = up > 0 ? up * (noise?.[k] as number) : 0;
      prevSample[k] = x + ((x - x0) / from) * (down - from) + z;
    }
    return { prevSample, predOriginalSample };
  };
  const { timesteps, initNoiseSigma, addNoise, scaleModelInput } = sched;
  return { name, timesteps, initNoiseSigma, step, addNoise, scaleModelInput };
}
