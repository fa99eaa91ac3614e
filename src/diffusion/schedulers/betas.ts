// β schedules and ᾱ_t = Π(1 − β_s), as in diffusers' scheduler __init__ and betas_for_alpha_bar.
// Pure maths in float64; no I/O. Reference: DDPM (Ho et al. 2020) eq. 4; iDDPM (Nichol & Dhariwal 2021)
// eq. 17 for the cosine schedule with max β = 0.999.
import { ConfigError } from '../../lib/errors';
import type { BetaConfig, BetaSchedule } from './types';

/** The valid `betaSchedule` values, in documentation order. */
export const BETA_SCHEDULES: readonly BetaSchedule[] = ['linear', 'scaled_linear', 'squaredcos_cap_v2'];

function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** iDDPM eq. 17: ᾱ(t) = cos²((t + s)/(1 + s) · π/2), s = 0.008; β_i = min(1 − ᾱ(i+1/T)/ᾱ(i/T), 0.999). */
function squaredCosBetas(n: number): number[] {
  const alphaBar = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  return Array.from({ length: n }, (_, i) => Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), 0.999));
}

/** β_t for t = 0…T−1 (float64). Throws ConfigError for an unknown schedule. */
export function makeBetas(config: BetaConfig): Float64Array {
  const { numTrainTimesteps: n, betaStart, betaEnd, betaSchedule } = config;
  switch (betaSchedule) {
    case 'linear':
      return Float64Array.from(linspace(betaStart, betaEnd, n));
    case 'scaled_linear':
      return Float64Array.from(linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), n), (v) => v * v);
    case 'squaredcos_cap_v2':
      return Float64Array.from(squaredCosBetas(n));
    default:
      throw new ConfigError(
        `betaSchedule "${String(betaSchedule)}" is unknown; use one of ${BETA_SCHEDULES.join(', ')}.`,
      );
  }
}

/** ᾱ_t = Π_{s≤t} (1 − β_s), t = 0…T−1 (float64). SD1.x: ᾱ_0 = 0.99915, ᾱ_999 ≈ 0.00466. */
export function alphasCumprod(config: BetaConfig): Float64Array {
  const betas = makeBetas(config);
  const out = new Float64Array(betas.length);
  let acc = 1;
  for (let i = 0; i < betas.length; i++) {
    acc *= 1 - (betas[i] as number);
    out[i] = acc;
  }
  return out;
}
