// DPM-Solver++ multistep (order 1 or 2, "DPM++ 2M"), data-prediction form, diffusers
// DPMSolverMultistepScheduler semantics with algorithm_type 'dpmsolver++', final σ = 0. Pure; no RNG.
// Notation: α_t = 1/√(σ²+1), σ_t = σ·α_t, λ = log α_t − log σ_t, h = λ_t − λ_s0, r0 = h_0/h,
// D0 = m0, D1 = (m0 − m1)/r0. Reference: Lu et al. 2022 "DPM-Solver++", Alg. 2 (2M) and eq. 8 (1st
// order); diffusers `multistep_dpm_solver_second_order_update` (midpoint / heun variants).
// The instance keeps the last two x̂₀ predictions: call step() once per timestep, in order.
import { ConfigError } from '../../lib/errors';
import { sigmaAlphasCumprod } from './betas';
import { checkCommon, checkEnum, checkLength, indexOfTimestep, mixPerBatch, SD15_BETAS } from './common';
import { interpAt, karrasSigmas, sigmasFromAlphas, sigmaToT } from './sigmas';
import { dpmTimesteps, roundHalfEven } from './spacing';
import type { BetaConfig, PredictionType, Scheduler, StepResult, TimestepSpacing } from './types';

/** 'midpoint' (diffusers default, used by A1111-like results) or 'heun' second-order correction. */
export type DpmSolverType = 'midpoint' | 'heun';
/** σ after the last step: 0 (diffusers default; the last step returns x̂₀) or σ_min = σ(t=0). */
export type DpmFinalSigmas = 'zero' | 'sigma_min';

/** DPM++ config. Defaults = SD1.5's noise schedule with the solver's own 'linspace' spacing. */
export type DpmSolverMultistepConfig = BetaConfig & {
  /** Default 'linspace'. */
  timestepSpacing: TimestepSpacing;
  /** Added to 'leading' timesteps. SD1.x: 1. */
  stepsOffset: number;
  /** Default 'epsilon'. */
  predictionType: PredictionType;
  /** 1 (DPM++ 1S, i.e. DDIM-like) or 2 (default, "2M"). */
  solverOrder: 1 | 2;
  /** Default 'midpoint'. */
  solverType: DpmSolverType;
  /** First order on the final step when numSteps < 15. With final σ = 0 the last step is first order anyway. Default true. */
  lowerOrderFinal: boolean;
  /** Default 'zero'. */
  finalSigmasType: DpmFinalSigmas;
  /** Karras eq. 5 σ ramp; timesteps become round(σ→t). Default false ("DPM++ 2M Karras" sets it). */
  useKarrasSigmas: boolean;
};

export const DPM_SOLVER_MULTISTEP_DEFAULTS: DpmSolverMultistepConfig = {
  ...SD15_BETAS,
  timestepSpacing: 'linspace',
  stepsOffset: 1,
  predictionType: 'epsilon',
  solverOrder: 2,
  solverType: 'midpoint',
  lowerOrderFinal: true,
  finalSigmasType: 'zero',
  useKarrasSigmas: false,
};

function dpmSigmas(cfg: DpmSolverMultistepConfig, numSteps: number): { timesteps: number[]; sigmas: number[] } {
  const table = sigmasFromAlphas(sigmaAlphasCumprod(cfg));
  let timesteps = dpmTimesteps(cfg.timestepSpacing, cfg.numTrainTimesteps, numSteps, cfg.stepsOffset);
  let sigmas = timesteps.map((t) => interpAt(table, t));
  if (cfg.useKarrasSigmas) {
    sigmas = karrasSigmas(table[0] as number, table[table.length - 1] as number, numSteps);
    const logTable = table.map(Math.log);
    timesteps = sigmas.map((s) => roundHalfEven(sigmaToT(s, logTable)));
  }
  const acp0 = sigmaAlphasCumprod(cfg)[0] as number;
  sigmas.push(cfg.finalSigmasType === 'zero' ? 0 : Math.sqrt((1 - acp0) / acp0));
  return { timesteps, sigmas };
}

const alphaOf = (sigma: number): number => 1 / Math.sqrt(sigma * sigma + 1);
const lambdaOf = (sigma: number): number => Math.log(alphaOf(sigma)) - Math.log(sigma * alphaOf(sigma));

/** Creates a DPM++ multistep run ("DPM++ 2M", or "DPM++ 2M Karras" with useKarrasSigmas). */
export function createDpmSolverMultistep(
  config: Partial<DpmSolverMultistepConfig>,
  numSteps: number,
  name = 'DPM++ 2M',
): Scheduler {
  const cfg: DpmSolverMultistepConfig = { ...DPM_SOLVER_MULTISTEP_DEFAULTS, ...config };
  checkCommon(name, cfg, numSteps);
  checkEnum(name, 'solverOrder', cfg.solverOrder, [1, 2] as const);
  checkEnum(name, 'solverType', cfg.solverType, ['midpoint', 'heun'] as const);
  checkEnum(name, 'finalSigmasType', cfg.finalSigmasType, ['zero', 'sigma_min'] as const);
  const { timesteps, sigmas } = dpmSigmas(cfg, numSteps);
  const history: Float32Array[] = [];
  let lowerOrderNums = 0;
  let expectedIndex = 0;

  const step = (modelOutput: Float32Array, timestep: number, sample: Float32Array): StepResult => {
    checkLength(name, 'modelOutput', modelOutput, sample.length);
    const i = expectedIndex;
    if (timesteps[i] !== timestep) {
      throw new ConfigError(`${name}: step() got timestep ${timestep} but ${String(timesteps[i])} (index ${i}) is next; ` +
        'a multistep solver must visit scheduler.timesteps in order, once each (create a new scheduler per image).');
    }
    const s0 = sigmas[i] as number;
    const a0 = alphaOf(s0);
    const m0 = new Float32Array(sample.length);
    for (let k = 0; k < sample.length; k++) {
      const x = sample[k] as number;
      const out = modelOutput[k] as number;
      m0[k] = cfg.predictionType === 'epsilon' ? (x - s0 * a0 * out) / a0 : a0 * x - s0 * a0 * out;
    }
    history.push(m0);
    if (history.length > 2) history.shift();
    const sT = sigmas[i + 1] as number;
    const aT = alphaOf(sT);
    const h = lambdaOf(sT) - lambdaOf(s0);
    const ratio = (sT * aT) / (s0 * a0);
    const c = aT * (Math.exp(-h) - 1);
    const isFinal =
      i === timesteps.length - 1 && ((cfg.lowerOrderFinal && timesteps.length < 15) || cfg.finalSigmasType === 'zero');
    const isFirstOrder = cfg.solverOrder === 1 || lowerOrderNums < 1 || isFinal;
    const prevSample = new Float32Array(sample.length);
    if (isFirstOrder) {
      for (let k = 0; k < sample.length; k++) prevSample[k] = ratio * (sample[k] as number) - c * (m0[k] as number);
    } else {
      const m1 = history[0] as Float32Array;
      const r0 = (lambdaOf(s0) - lambdaOf(sigmas[i - 1] as number)) / h;
      const c1 = cfg.solverType === 'midpoint' ? -0.5 * c : aT * ((Math.exp(-h) - 1) / h + 1);
      for (let k = 0; k < sample.length; k++) {
        const d1 = ((m0[k] as number) - (m1[k] as number)) / r0;
        prevSample[k] = ratio * (sample[k] as number) - c * (m0[k] as number) + c1 * d1;
      }
    }
    lowerOrderNums = Math.min(lowerOrderNums + 1, cfg.solverOrder);
    expectedIndex = i + 1;
    return { prevSample, predOriginalSample: m0.slice() };
  };

  const sigmaOf = (t: number): number => sigmas[indexOfTimestep(name, timesteps, t)] as number;
  return {
    name,
    timesteps,
    initNoiseSigma: 1,
    step,
    addNoise: (x0, noise, ts) =>
      mixPerBatch(name, x0, noise, ts, (t) => [alphaOf(sigmaOf(t)), sigmaOf(t) * alphaOf(sigmaOf(t))]),
    scaleModelInput: (sample) => sample,
    setBeginIndex: (index) => {
      if (!Number.isInteger(index) || index < 0 || index >= timesteps.length || history.length > 0) {
        throw new ConfigError(`${name}: setBeginIndex(${index}) needs an index in 0…${timesteps.length - 1}, before the first step.`);
      }
      expectedIndex = index;
    },
  };
}
