// CPU reference of DisenDiff's attention-map post-processing (docs/disendiff.md §2.5–§2.6): mean over heads and
// layers → min–max → reflect-padded 3×3 Gaussian blur → square (class maps only). Pure float64 maths on
// plain arrays; the in-graph version (graph.ts) is tested against it. Never touches ONNX or a runtime.
// Notation: Ā^k = mean_{l,h} A_l[b, h, :, k] (N = h·w pixels), N(·) min–max, G(·) blur, f_m(x) = x⊙x.
import { assert } from '../../lib/assert';

/** Cross-attention probabilities of one layer: data row-major in dims [B, heads, N, S]. */
export type ProbTensor = { data: Float32Array; dims: readonly [number, number, number, number] };

/** Options of processMap, named after the §2.6 steps. */
export type MapProcessing = { eps: number; blur: boolean; kernel1d: readonly number[]; square: boolean };

/**
 * 1-D Gaussian weights of Attend-and-Excite's GaussianSmoothing (DisenDiff `src/gaussian_smoothing.py`):
 * w_x ∝ exp(−((x − μ)/(2σ))²), μ = (size − 1)/2, normalised to sum 1. Note the 2σ: effective σ is σ·√2.
 * σ = 0.5, size 3 → [0.2119, 0.5761, 0.2119] (docs/disendiff.md §2.6 step 3).
 */
export function gaussianKernel1d(size: number, sigma: number): number[] {
  const mu = (size - 1) / 2;
  const w = Array.from({ length: size }, (_, x) => Math.exp(-(((x - mu) / (2 * sigma)) ** 2)));
  const s = w.reduce((a, v) => a + v, 0);
  return w.map((v) => v / s);
}

/** 2-D kernel = outer product of the 1-D weights (row-major [size, size]); centre 0.3319, edge 0.1221, corner 0.0449. */
export function gaussianKernel2d(size: number, sigma: number): number[] {
  const k = gaussianKernel1d(size, sigma);
  return k.flatMap((a) => k.map((b2) => a * b2));
}

/** Ā[b, :, token]: mean over every head of every layer (§2.5 "plain mean over heads and layers"). Length N. */
export function meanTokenMap(layers: readonly ProbTensor[], batch: number, token: number): Float64Array {
  const [, , n] = (layers[0] as ProbTensor).dims;
  const out = new Float64Array(n);
  let count = 0;
  for (const { data, dims } of layers) {
    const [, heads, nl, s] = dims;
    assert(nl === n, () => `meanTokenMap: layers have ${n} and ${nl} pixels; all selected layers must share one resolution`);
    for (let h = 0; h < heads; h++) {
      const base = (batch * heads + h) * n * s;
      for (let p = 0; p < n; p++) out[p] = (out[p] as number) + (data[base + p * s + token] as number);
      count++;
    }
  }
  return out.map((v) => v / count);
}

/** N(M) = (M − min M)/(max M − min M + eps) (§2.6 step 2). */
export function minMaxNormalize(m: ArrayLike<number>, eps: number): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m.length; i++) {
    lo = Math.min(lo, m[i] as number);
    hi = Math.max(hi, m[i] as number);
  }
  return Float64Array.from(m, (v) => (v - lo) / (hi - lo + eps));
}

/** Reflect index (no edge repeat), as torch F.pad(mode="reflect"). */
function reflect(i: number, n: number): number {
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}

/** G(M): reflect-pad by (k−1)/2, separable convolution with `kernel1d` (§2.6 step 3). m is [h, w] row-major. */
export function gaussianBlur(m: ArrayLike<number>, h: number, w: number, kernel1d: readonly number[]): Float64Array {
  const r = (kernel1d.length - 1) / 2;
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const k = (kernel1d[dy + r] as number) * (kernel1d[dx + r] as number);
          acc += k * (m[reflect(y + dy, h) * w + reflect(x + dx, w)] as number);
        }
      }
      out[y * w + x] = acc;
    }
  }
  return out;
}

/** f_m(M) = M ⊙ M, DisenDiff's suppression of class maps (§2.6 step 4). */
export function squareMap(m: ArrayLike<number>): Float64Array {
  return Float64Array.from(m, (v) => v * v);
}

/** Steps 2–4 on one raw mean map [h, w]: min–max, optional blur, optional square. */
export function processMap(raw: ArrayLike<number>, h: number, w: number, o: MapProcessing): Float64Array {
  let m = minMaxNormalize(raw, o.eps);
  if (o.blur) m = gaussianBlur(m, h, w, o.kernel1d);
  return o.square ? squareMap(m) : m;
}
