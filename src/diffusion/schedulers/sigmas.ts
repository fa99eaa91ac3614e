// σ-parameterisation helpers for the Euler and DPM-Solver samplers: σ_t = √((1 − ᾱ_t)/ᾱ_t), linear
// interpolation at fractional t, Karras et al. 2022 eq. 5 (ρ = 7), and σ → t inversion in log σ.
// Pure; no I/O. Reference: diffusers `_convert_to_karras`, `_sigma_to_t`, numpy.interp.

/** σ_t = √((1 − ᾱ_t)/ᾱ_t) for every training timestep (ascending in t). */
export function sigmasFromAlphas(alphasCumprod: Float64Array): Float64Array {
  return alphasCumprod.map((a) => Math.sqrt((1 - a) / a));
}

/** numpy.interp(t, [0…len−1], table) for integer-spaced tables; clamps outside the range. */
export function interpAt(table: Float64Array, t: number): number {
  const last = table.length - 1;
  if (t <= 0) return table[0] as number;
  if (t >= last) return table[last] as number;
  const lo = Math.floor(t);
  const w = t - lo;
  return (table[lo] as number) * (1 - w) + (table[lo + 1] as number) * w;
}

/** Karras eq. 5: σ_i = (σ_max^{1/ρ} + i/(n−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, high → low. */
export function karrasSigmas(sigmaMin: number, sigmaMax: number, n: number, rho = 7): number[] {
  const lo = sigmaMin ** (1 / rho);
  const hi = sigmaMax ** (1 / rho);
  return Array.from({ length: n }, (_, i) => {
    const ramp = n === 1 ? 0 : i / (n - 1);
    return (hi + ramp * (lo - hi)) ** rho;
  });
}

/**
 * Fractional timestep whose interpolated log σ equals log σ (diffusers `_sigma_to_t`): the largest
 * index with log σ_i ≤ log σ (clamped to T−2), then linear weight in log space clipped to [0, 1].
 */
export function sigmaToT(sigma: number, logSigmas: Float64Array): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  let low = 0;
  for (let i = 0; i < logSigmas.length; i++) if (logSigma - (logSigmas[i] as number) >= 0) low = i;
  low = Math.min(low, logSigmas.length - 2);
  const lo = logSigmas[low] as number;
  const hi = logSigmas[low + 1] as number;
  const w = Math.min(1, Math.max(0, (lo - logSigma) / (lo - hi)));
  return (1 - w) * low + w * (low + 1);
}
