// Classifier-free guidance (Ho & Salimans 2022, eq. 6): ε̂ = ε_u + w · (ε_c − ε_u), with the UNet batch laid out
// as [uncond × B, cond × B] (diffusers' order). Pure; no I/O.
//   ε_u: prediction for the negative / empty prompt;  ε_c: for the prompt;  w: guidance scale (A1111 "CFG scale").

/** [x, x] along the batch axis: the latent batch duplicated for the uncond and cond halves. */
export function duplicateBatch(x: Float32Array): Float32Array {
  const out = new Float32Array(2 * x.length);
  out.set(x, 0);
  out.set(x, x.length);
  return out;
}

/**
 * Guided prediction from the doubled UNet output [2B, C, h, w] (uncond first).
 * @returns ε̂ [B, C, h, w]
 */
export function applyGuidance(modelOutput: Float32Array, guidanceScale: number): Float32Array {
  const n = modelOutput.length / 2;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = modelOutput[i] as number;
    out[i] = u + guidanceScale * ((modelOutput[n + i] as number) - u);
  }
  return out;
}
