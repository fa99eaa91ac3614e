// Euler sampler for the probability-flow ODE in σ-space (Karras et al. 2022 Alg. 1 with s_churn = 0),
// diffusers EulerDiscreteScheduler semantics. Pure; no RNG. Notation: σ_i = sigmas[i], x̂₀ = denoised,
// d = (x − x̂₀)/σ_i (Karras eq. 3 derivative), x_{i+1} = x + d·(σ_{i+1} − σ_i).
// Reference: diffusers scheduling_euler_discrete.py (`set_timesteps`, `step`, `init_noise_sigma`).
import { sigmaAlphasCumprod } from './betas';
import { checkCommon, checkLength, indexOfTimestep, mixPerBatch, SD15_BETAS } from './common';
import { interpAt, karrasSigmas, sigmasFromAlphas, sigmaToT } from './sigmas';
import { spacedTimesteps } from './spacing';
import type { BetaConfig, PredictionType, Scheduler, StepResult, TimestepSpacing } from './types';

/** Euler config. Defaults = SD1.5's noise schedule with Euler's own 'linspace' spacing. */
export type EulerConfig = BetaConfig & {
  /** Default 'linspace' (fractional timesteps kept, as diffusers). */
  timestepSpacing: TimestepSpacing;
  /** Added to 'leading' timesteps. SD1.x: 1. */
  stepsOffset: number;
  /** Default 'epsilon'. */
  predictionType: PredictionType;
  /** Karras eq. 5 σ ramp (ρ = 7) between this schedule's σ_min and σ_max. Default false. */
  useKarrasSigmas: boolean;
};

export const EULER_DEFAULTS: EulerConfig = {
  ...SD15_BETAS,
  timestepSpacing: 'linspace',
  stepsOffset: 1,
  predictionType: 'epsilon',
  useKarrasSigmas: false,
};

/** The σ-space schedule shared by Euler and Euler ancestral. `sigmas` has numSteps + 1 entries (last 0). */
export type SigmaSchedule = {
  timesteps: number[];
  sigmas: number[];
  initNoiseSigma: number;
  addNoise: Scheduler['addNoise'];
  scaleModelInput: Scheduler['scaleModelInput'];
  indexOf: (timestep: number) => number;
};

/** Builds σ_i at the spaced timesteps (optionally Karras), plus addNoise/scaleModelInput on that grid. */
export function eulerSchedule(name: string, cfg: EulerConfig, numSteps: number): SigmaSchedule {
  checkCommon(name, cfg, numSteps);
  const table = sigmasFromAlphas(sigmaAlphasCumprod(cfg));
  let timesteps = spacedTimesteps(cfg.timestepSpacing, cfg.numTrainTimesteps, numSteps, cfg.stepsOffset, false);
  let sigmas = timesteps.map((t) => interpAt(table, t));
  if (cfg.useKarrasSigmas) {
    sigmas = karrasSigmas(sigmas[sigmas.length - 1] as number, sigmas[0] as number, numSteps);
    const logTable = table.map(Math.log);
    timesteps = sigmas.map((s) => sigmaToT(s, logTable));
  }
  sigmas.push(0);
  const maxSigma = Math.max(...sigmas);
  const isSigmaInit = cfg.timestepSpacing === 'linspace' || cfg.timestepSpacing === 'trailing';
  const indexOf = (t: number): number => indexOfTimestep(name, timesteps, t);
  const sigmaOf = (t: number): number => sigmas[indexOf(t)] as number;
  return {
    timesteps,
    sigmas,
    initNoiseSigma: isSigmaInit ? maxSigma : Math.sqrt(maxSigma * maxSigma + 1),
    indexOf,
    addNoise: (x0, noise, ts) => mixPerBatch(name, x0, noise, ts, (t) => [1, sigmaOf(t)]),
    scaleModelInput: (sample, t) => {
      const c = 1 / Math.sqrt(sigmaOf(t) ** 2 + 1);
      return sample.map((v) => v * c);
    },
  };
}

/** x̂₀ from the model output at σ (ε: x − σε; v: −σ/√(σ²+1)·v + x/(σ²+1)). */
export function denoisedFromSigma(kind: PredictionType, out: number, x: number, sigma: number): number {
  if (kind === 'epsilon') return x - sigma * out;
  return out * (-sigma / Math.sqrt(sigma * sigma + 1)) + x / (sigma * sigma + 1);
}

/** Creates an Euler run ("Euler"; with useKarrasSigmas, A1111's "Euler Karras"). */
export function createEuler(config: Partial<EulerConfig>, numSteps: number, name = 'Euler'): Scheduler {
  const cfg: EulerConfig = { ...EULER_DEFAULTS, ...config };
  const sched = eulerSchedule(name, cfg, numSteps);
  const step = (modelOutput: Float32Array, timestep: number, sample: Float32Array): StepResult => {
    checkLength(name, 'modelOutput', modelOutput, sample.length);
    const i = sched.indexOf(timestep);
    const sigma = sched.sigmas[i] as number;
    const dt = (sched.sigmas[i + 1] as number) - sigma;
    const prevSample = new Float32Array(sample.length);
    const predOriginalSample = new Float32Array(sample.length);
    for (let k = 0; k < sample.length; k++) {
      const x = sample[k] as number;
      const x0 = denoisedFromSigma(cfg.predictionType, modelOutput[k] as number, x, sigma);
      predOriginalSample[k] = x0;
      prevSample[k] = x + ((x - x0) / sigma) * dt;
    }
    return { prevSample, predOriginalSample };
  };
  const { timesteps, initNoiseSigma, addNoise, scaleModelInput } = sched;
  return { name, timesteps, initNoiseSigma, step, addNoise, scaleModelInput };
}
