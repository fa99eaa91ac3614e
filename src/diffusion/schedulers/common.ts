// Shared plumbing for the schedulers: config validation at the public boundary, timestep lookup,
// q(x_t|x₀) mixing per batch element. Pure; no I/O, no RNG.
// Reference: diffusers `add_noise`, `index_for_timestep`.
import { ConfigError } from '../../lib/errors';
import { BETA_SCHEDULES } from './betas';
import { TIMESTEP_SPACINGS } from './spacing';
import type { BetaConfig, PredictionType } from './types';

/** The valid `predictionType` values. */
export const PREDICTION_TYPES: readonly PredictionType[] = ['epsilon', 'v_prediction'];

/** SD1.x `scheduler/scheduler_config.json` noise schedule (shared defaults of every scheduler here). */
export const SD15_BETAS: BetaConfig = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: 'scaled_linear',
};

/** Throws ConfigError unless `value` is one of `allowed`. */
export function checkEnum<T>(scheduler: string, field: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new ConfigError(
      `${scheduler}: ${field} "${String(value)}" is not supported; use one of ${allowed.join(', ')}.`,
    );
  }
}

/** Validates the beta part, spacing and prediction type, and the step count against T. */
export function checkCommon(
  scheduler: string,
  config: BetaConfig & { timestepSpacing: string; predictionType: string },
  numSteps: number,
): void {
  checkEnum(scheduler, 'betaSchedule', config.betaSchedule, BETA_SCHEDULES);
  checkEnum(scheduler, 'timestepSpacing', config.timestepSpacing, TIMESTEP_SPACINGS as readonly string[]);
  checkEnum(scheduler, 'predictionType', config.predictionType, PREDICTION_TYPES as readonly string[]);
  const t = config.numTrainTimesteps;
  if (!Number.isInteger(t) || t < 2) throw new ConfigError(`${scheduler}: numTrainTimesteps must be an integer ≥ 2, got ${t}.`);
  if (!Number.isInteger(numSteps) || numSteps < 1 || numSteps > t) {
    throw new ConfigError(`${scheduler}: numSteps must be an integer in 1…${t}, got ${numSteps}.`);
  }
}

/** Throws unless a tensor argument has the expected length. */
export function checkLength(scheduler: string, what: string, arr: Float32Array, length: number): void {
  if (arr.length !== length) {
    throw new ConfigError(`${scheduler}: ${what} has ${arr.length} elements but sample has ${length}; they must match.`);
  }
}

/** Position of `timestep` in `timesteps` (first match); throws ConfigError listing the schedule. */
export function indexOfTimestep(scheduler: string, timesteps: readonly number[], timestep: number): number {
  const i = timesteps.indexOf(timestep);
  if (i < 0) {
    const shown = timesteps.slice(0, 6).join(', ');
    throw new ConfigError(
      `${scheduler}: timestep ${timestep} is not in this schedule (${shown}${timesteps.length > 6 ? ', …' : ''}); ` +
        'pass values from scheduler.timesteps.',
    );
  }
  return i;
}

/**
 * out[b] = a(t_b)·x0[b] + s(t_b)·noise[b] for each batch element b; `coeffs(t)` returns [a, s].
 * `timesteps` has length B (x0.length must divide by B) or 1.
 */
export function mixPerBatch(
  scheduler: string,
  x0: Float32Array,
  noise: Float32Array,
  timesteps: readonly number[],
  coeffs: (t: number) => [number, number],
): Float32Array {
  checkLength(scheduler, 'noise', noise, x0.length);
  const b = timesteps.length;
  if (b === 0 || x0.length % b !== 0) {
    throw new ConfigError(`${scheduler}: addNoise got ${b} timesteps for ${x0.length} elements; pass one per batch element.`);
  }
  const per = x0.length / b;
  const out = new Float32Array(x0.length);
  for (let k = 0; k < b; k++) {
    const [a, s] = coeffs(timesteps[k] as number);
    for (let i = k * per; i < (k + 1) * per; i++) out[i] = a * (x0[i] as number) + s * (noise[i] as number);
  }
  return out;
}

/** ᾱ_t for an integer training timestep; throws ConfigError when out of range. */
export function alphaAt(scheduler: string, acp: Float64Array, t: number): number {
  const v = Number.isInteger(t) ? acp[t] : undefined;
  if (v === undefined) throw new ConfigError(`${scheduler}: timestep ${t} must be an integer in 0…${acp.length - 1}.`);
  return v;
}
