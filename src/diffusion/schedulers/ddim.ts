// DDIM sampler (Song et al. 2021), diffusers DDIMScheduler semantics. Pure; no RNG (η > 0 takes noise).
// Notation: ᾱ_t = alphasCumprod[t], x₀̂ = predicted original, ε̂ = predicted noise, σ_t = η·√var.
// Reference: DDIM eq. 12 (update) and eq. 16 (σ_t); diffusers scheduling_ddim.py `step`.
// Deviation-free; note diffusers' prev_t = t − ⌊T/n⌋ even for trailing/linspace spacing (kept as is).
import { ConfigError } from '../../lib/errors';
import { alphasCumprod } from './betas';
import { alphaAt, checkCommon, checkLength, mixPerBatch, SD15_BETAS } from './common';
import { spacedTimesteps } from './spacing';
import type { BetaConfig, PredictionType, Scheduler, StepResult, TimestepSpacing } from './types';

/** DDIM config. Defaults = SD1.5's scheduler_config.json with DDIM's own 'leading' spacing. */
export type DdimConfig = BetaConfig & {
  /** Default 'leading' (SD1.x), with stepsOffset 1. */
  timestepSpacing: TimestepSpacing;
  /** Added to 'leading' timesteps. SD1.x: 1 (so 50 steps run 981 … 1). */
  stepsOffset: number;
  /** Default 'epsilon'. */
  predictionType: PredictionType;
  /** Clamp x₀̂ to ±1. SD1.x: false. */
  clipSample: boolean;
  /** The ± bound of clipSample (diffusers `clip_sample_range`). Default 1. */
  clipSampleRange: number;
  /** ᾱ used past the last step: 1 if true, else ᾱ_0. SD1.x: false. */
  setAlphaToOne: boolean;
  /** η of DDIM eq. 16: 0 = deterministic (default), 1 = DDPM-like (DisenDiff eval uses 1). */
  eta: number;
};

export const DDIM_DEFAULTS: DdimConfig = {
  ...SD15_BETAS,
  timestepSpacing: 'leading',
  stepsOffset: 1,
  predictionType: 'epsilon',
  clipSample: false,
  clipSampleRange: 1,
  setAlphaToOne: false,
  eta: 0,
};

/** x₀̂ and ε̂ from the model output (DDIM eq. 9 for ε; v-param: x₀ = √ᾱx − √(1−ᾱ)v, ε = √ᾱv + √(1−ᾱ)x). */
export function predictX0Eps(
  kind: PredictionType,
  out: number,
  x: number,
  alphaProd: number,
): [x0: number, eps: number] {
  const a = Math.sqrt(alphaProd);
  const s = Math.sqrt(1 - alphaProd);
  if (kind === 'epsilon') return [(x - s * out) / a, out];
  return [a * x - s * out, a * out + s * x];
}

/** Creates a DDIM run of `numSteps` steps. Throws ConfigError on bad config or step count. */
export function createDdim(config: Partial<DdimConfig>, numSteps: number, name = 'DDIM'): Scheduler {
  const cfg: DdimConfig = { ...DDIM_DEFAULTS, ...config };
  checkCommon(name, cfg, numSteps);
  if (!(cfg.eta >= 0)) throw new ConfigError(`${name}: eta must be ≥ 0, got ${cfg.eta}.`);
  const acp = alphasCumprod(cfg);
  const finalAlpha = cfg.setAlphaToOne ? 1 : (acp[0] as number);
  const timesteps = spacedTimesteps(cfg.timestepSpacing, cfg.numTrainTimesteps, numSteps, cfg.stepsOffset, true);
  const stride = Math.floor(cfg.numTrainTimesteps / numSteps);

  const step = (modelOutput: Float32Array, timestep: number, sample: Float32Array, noise?: Float32Array): StepResult => {
    checkLength(name, 'modelOutput', modelOutput, sample.length);
    const prevT = timestep - stride;
    const aT = alphaAt(name, acp, timestep);
    const aPrev = prevT >= 0 ? alphaAt(name, acp, prevT) : finalAlpha;
    const variance = ((1 - aPrev) / (1 - aT)) * (1 - aT / aPrev);
    const std = cfg.eta * Math.sqrt(variance);
    if (std > 0 && noise === undefined) {
      throw new ConfigError(`${name}: eta = ${cfg.eta} makes the step stochastic; pass unit-normal noise to step().`);
    }
    if (noise) checkLength(name, 'noise', noise, sample.length);
    const dirCoeff = Math.sqrt(1 - aPrev - std * std);
    const prevSample = new Float32Array(sample.length);
    const predOriginalSample = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const [rawX0, eps] = predictX0Eps(cfg.predictionType, modelOutput[i] as number, sample[i] as number, aT);
      const x0 = cfg.clipSample ? Math.min(cfg.clipSampleRange, Math.max(-cfg.clipSampleRange, rawX0)) : rawX0;
      predOriginalSample[i] = x0;
      const z = std > 0 ? std * (noise?.[i] as number) : 0;
      prevSample[i] = Math.sqrt(aPrev) * x0 + dirCoeff * eps + z;
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
