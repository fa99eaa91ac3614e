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

function cumprod(betas: Float64Array): Float64Array {
  const out = new Float64Array(betas.length);
  let acc = 1;
  for (let i = 0; i < betas.length; i++) {
    acc *= 1 - (betas[i] as number);
    out[i] = acc;
  }
  return out;
}

/**
 * Zero terminal SNR (Lin et al. 2024, "Common Diffusion Noise Schedules and Sample Steps Are Flawed",
 * Algorithm 1; diffusers scheduling_ddim.py `rescale_zero_terminal_snr`): shift and scale √ᾱ so √ᾱ_0 is kept and
 * √ᾱ_{T−1} = 0, then return the ᾱ of that (ᾱ_{T−1} = 0 exactly).
 */
function rescaledZeroSnr(acp: Float64Array): Float64Array {
  const sq = Array.from(acp, Math.sqrt);
  const [a0, aT] = [sq[0] as number, sq[sq.length - 1] as number];
  return Float64Array.from(sq, (v) => ((v - aT) * a0 / (a0 - aT)) ** 2);
}

/**
 * ᾱ_t = Π_{s≤t} (1 − β_s), t = 0…T−1 (float64), after the zero-SNR rescale when `rescaleBetasZeroSnr`.
 * SD1.x: ᾱ_0 = 0.99915, ᾱ_999 ≈ 0.00466.
 */
export function alphasCumprod(config: BetaConfig): Float64Array {
  const acp = cumprod(makeBetas(config));
  return config.rescaleBetasZeroSnr ? rescaledZeroSnr(acp) : acp;
}

/**
 * ᾱ for sigma-based samplers (Euler, Euler a, DPM-Solver): as `alphasCumprod`, but with zero terminal SNR the last
 * ᾱ is 2⁻²⁴ rather than 0 so σ_max stays finite (4096), as diffusers' Euler/DPM `__init__` set it.
 */
export function sigmaAlphasCumprod(config: BetaConfig): Float64Array {
  const acp = alphasCumprod(config);
  if (config.rescaleBetasZeroSnr) acp[acp.length - 1] = 2 ** -24;
  return acp;
}
