// Input samplers for gradient cases: keep values away from kinks (Relu, Max), poles (Div, Log) and ties.
import type { Rng } from '../../../../src/lib/random';

/** Normal values pushed at least `gap` away from 0: x = sign(n)·(gap + |n|). */
export const awayFromZero = (gap = 0.2) => (_name: string, rng: Rng, n: number) =>
  Array.from({ length: n }, () => {
    const v = rng.normal();
    return Math.sign(v || 1) * (gap + Math.abs(v));
  });

/** Uniform positive values in [lo, hi]. */
export const positive = (lo = 0.5, hi = 2) => (_name: string, rng: Rng, n: number) =>
  Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

/** Distinct values (a shuffled ramp with jitter), so maxima have no ties. */
export const distinct = () => (_name: string, rng: Rng, n: number) => {
  const values = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.3 + 0.05 * rng.uniform());
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [values[i], values[j]] = [values[j] as number, values[i] as number];
  }
  return values;
};
