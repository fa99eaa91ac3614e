// Inference timestep selection ("timestep_spacing") as each diffusers scheduler's set_timesteps does it.
// Pure; no I/O. Reference: Lin et al. 2024 Table 2; diffusers scheduling_ddim.py / _euler_discrete.py /
// _dpmsolver_multistep.py `set_timesteps`. Note: the three families differ slightly (see each function).
import { ConfigError } from '../../lib/errors';
import type { TimestepSpacing } from './types';

/** The valid `timestepSpacing` values. */
export const TIMESTEP_SPACINGS: readonly TimestepSpacing[] = ['leading', 'trailing', 'linspace'];

function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** numpy.arange(start, stop, step) for a negative step. */
function arangeDown(start: number, stop: number, step: number): number[] {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  return Array.from({ length: n }, (_, i) => start + i * step);
}

/** numpy's round-half-to-even, which diffusers' `.round()` uses. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function badSpacing(spacing: never): never {
  throw new ConfigError(
    `timestepSpacing "${String(spacing)}" is unknown; use one of ${TIMESTEP_SPACINGS.join(', ')}.`,
  );
}

/**
 * DDPM/DDIM/Euler spacing, high → low. leading: (i·⌊T/n⌋) + offset; trailing: round(T − i·T/n) − 1;
 * linspace: linspace(0, T−1, n). `shouldRound` = false keeps Euler's fractional linspace values.
 */
export function spacedTimesteps(
  spacing: TimestepSpacing,
  numTrain: number,
  n: number,
  stepsOffset: number,
  shouldRound: boolean,
): number[] {
  switch (spacing) {
    case 'leading': {
      const ratio = Math.floor(numTrain / n);
      return Array.from({ length: n }, (_, i) => (n - 1 - i) * ratio + stepsOffset);
    }
    case 'trailing':
      return arangeDown(numTrain, 0, -numTrain / n).map((v) => roundHalfEven(v) - 1);
    case 'linspace': {
      const ts = linspace(0, numTrain - 1, n).reverse();
      return shouldRound ? ts.map(roundHalfEven) : ts;
    }
    default:
      return badSpacing(spacing);
  }
}

/** DPMSolverMultistep spacing: like `spacedTimesteps` but leading/linspace use n + 1 points, dropping the last. */
export function dpmTimesteps(spacing: TimestepSpacing, numTrain: number, n: number, stepsOffset: number): number[] {
  switch (spacing) {
    case 'leading': {
      const ratio = Math.floor(numTrain / (n + 1));
      return Array.from({ length: n }, (_, i) => (n - i) * ratio + stepsOffset);
    }
    case 'trailing':
      return spacedTimesteps('trailing', numTrain, n, stepsOffset, true);
    case 'linspace':
      return linspace(0, numTrain - 1, n + 1).map(roundHalfEven).reverse().slice(0, n);
    default:
      return badSpacing(spacing);
  }
}
