// DDPM (Ho et al. 2020): the training-time forward process q(x_t|x₀) and the ancestral sampling step.
// Pure; no RNG: the step's noise is an argument. Notation: ᾱ_t = alphasCumprod[t], α_t = ᾱ_t/ᾱ_{t'},
// β_t = 1 − α_t, t' = the previous inference timestep. Reference: DDPM eq. 4 (q), eq. 7 (posterior
// mean μ̃ and β̃); diffusers scheduling_ddpm.py `step`/`_get_variance` (fixed_small, fixed_large).
import { ConfigError } from '../../lib/errors';
import { alphasCumprod } from './betas';
import { alphaAt, checkCommon, checkEnum, checkLength, mixPerBatch, SD15_BETAS } from './common';
import { predictX0Eps } from './ddim';
import { spacedTimesteps } from './spacing';
import type { BetaConfig, PredictionType, Scheduler, StepResult, TimestepSpacing } from './types';

/** Posterior variance choice: β̃_t (eq. 7, 'fixed_small', default) or β_t ('fixed_large'). */
export type DdpmVarianceType = 'fixed_small' | 'fixed_large';

/** DDPM config. Defaults = SD1.5's scheduler_config.json (scaled_linear, clip off, stepsOffset 1). */
export type DdpmConfig = BetaConfig & {
  /** Default 'leading'. */
  timestepSpacing: TimestepSpacing;
  /** Added to 'leading' timesteps. SD1.x: 1. */
  stepsOffset: number;
  /** Default 'epsilon'. */
  predictionType: PredictionType;
  /** Clamp x₀̂ to ±1. SD1.x: false (diffusers' class default is true). */
  clipSample: boolean;
  /** The ± bound of clipSample (diffusers `clip_sample_range`). Default 1. */
  clipSampleRange: number;
  /** Default 'fixed_small'. */
  varianceType: DdpmVarianceType;
};

export const DDPM_DEFAULTS: DdpmConfig = {
  ...SD15_BETAS,
  timestepSpacing: 'leading',
  stepsOffset: 1,
  predictionType: 'epsilon',
  clipSample: false,
  clipSampleRange: 1,
  varianceType: 'fixed_small',
};

/** The valid `varianceType` values. */
export const DDPM_VARIANCE_TYPES: readonly DdpmVarianceType[] = ['fixed_small', 'fixed_large'];

/**
 * Creates a DDPM run. `numSteps` may equal T (1000) for the full chain. `addNoise` works at any
 * integer t in 0…T−1 (training noise), not only at the inference timesteps.
 */
export function createDdpm(config: Partial<DdpmConfig>, numSteps: number, name = 'DDPM'): Scheduler {
  const cfg: DdpmConfig = { ...DDPM_DEFAULTS, ...config };
  checkCommon(name, cfg, numSteps);
  checkEnum(name, 'varianceType', cfg.varianceType, DDPM_VARIANCE_TYPES);
  const acp = alphasCumprod(cfg);
  const timesteps = spacedTimesteps(cfg.timestepSpacing, cfg.numTrainTimesteps, numSteps, cfg.stepsOffset, true);
  const stride = Math.floor(cfg.numTrainTimesteps / numSteps);

  const step = (modelOutput: Float32Array, timestep: number, sample: Float32Array, noise?: Float32Array): StepResult => {
    checkLength(name, 'modelOutput', modelOutput, sample.length);
    // diffusers DDPMScheduler.previous_timestep: the next entry of the schedule (−1 after the last), which is
    // t − ⌊T/n⌋ for leading/trailing spacing but not for linspace.
    const at = timesteps.indexOf(timestep);
    const prevT = at >= 0 ? (at + 1 < timesteps.length ? (timesteps[at + 1] as number) : -1) : timestep - stride;
    const aT = alphaAt(name, acp, timestep);
    const aPrev = prevT >= 0 ? alphaAt(name, acp, prevT) : 1;
    const curAlpha = aT / aPrev;
    const curBeta = 1 - curAlpha;
    const x0Coeff = (Math.sqrt(aPrev) * curBeta) / (1 - aT);
    const xtCoeff = (Math.sqrt(curAlpha) * (1 - aPrev)) / (1 - aT);
    const variance = cfg.varianceType === 'fixed_small' ? Math.max(((1 - aPrev) / (1 - aT)) * curBeta, 1e-20) : curBeta;
    const std = timestep > 0 ? Math.sqrt(variance) : 0;
    if (std > 0 && noise === undefined) {
      throw new ConfigError(`${name}: the step at timestep ${timestep} is stochastic; pass unit-normal noise to step().`);
    }
    if (noise) checkLength(name, 'noise', noise, sample.length);
    const prevSample = new Float32Array(sample.length);
    const predOriginalSample = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      let [x0] = predictX0Eps(cfg.predictionType, modelOutput[i] as number, sample[i] as number, aT);
      if (cfg.clipSample) x0 = Math.min(cfg.clipSampleRange, Math.max(-cfg.clipSampleRange, x0));
      predOriginalSample[i] = x0;
      const z = std > 0 ? std * (noise?.[i] as number) : 0;
      prevSample[i] = x0Coeff * x0 + xtCoeff * (sample[i] as number) + z;
    }
    return { prevSample, predOriginalSample };
  };

  return {
    name,
    timesteps,
    initNoiseSigma: 1,
    step,
    addNoise: (x0, noise, ts) =>
      mixPerBatch(name, x0, noise, ts, (t) => {
        const a = alphaAt(name, acp, t);
        return [Math.sqrt(a), Math.sqrt(1 - a)];
      }),
    scaleModelInput: (sample) => sample,
  };
}
