// Does a model's cross-attention find its objects? Two figures per caption word bound to an object
// (`npm run eval:attention`, tools/eval/attention.ts):
//  - DAAM-style IoU (Tang et al., "What the DAAM: Interpreting Stable Diffusion Using Cross Attention", ACL 2023,
//    §3 and released `daam/heatmap.py` `expand_image`): the word's attention summed over heads, layers (of one
//    level, or all) and time steps, each layer's map upsampled bicubically to the image size, min–max normalised,
//    binarised at τ = 0.4, IoU against the object's mask (coverage ≥ ½). Deviation: bicubic is torch's
//    (a = −0.75, align_corners False, border clamped), applied per layer before the sum as DAAM does.
//  - own-object share of the map as DisenDiff processes it (mean over the selected layers and heads, min–max,
//    3×3 Gaussian, squared: src/train/attention/postprocess.ts processMap with the class-map steps, the released
//    `src/model.py` `p_losses` path): Σ m·cov_own / Σ m at the map's resolution, cov = the object's area
//    coverage of each cell; and the share on the other objects.
// Pure maths on probability tensors; nothing here runs a model.
import { gaussianKernel1d, processMap } from '../train/index';
import type { ProbTensor } from '../train/index';

/** DAAM's binarisation threshold τ. */
export const DAAM_THRESHOLD = 0.4;

/** One cross-attention layer's probabilities at one time step, with its latent resolution. */
export type LayerProbs = ProbTensor & { resolution: [number, number] };

/** torch's cubic convolution weights (a = −0.75) for fractional offset t. */
function cubicWeights(t: number): [number, number, number, number] {
  const a = -0.75;
  const w = (x: number): number => {
    const ax = Math.abs(x);
    if (ax <= 1) return (a + 2) * ax ** 3 - (a + 3) * ax ** 2 + 1;
    if (ax < 2) return a * ax ** 3 - 5 * a * ax ** 2 + 8 * a * ax - 4 * a;
    return 0;
  };
  return [w(t + 1), w(t), w(1 - t), w(2 - t)];
}

/** F.interpolate(mode='bicubic', align_corners=False) of an [h, w] map to [H, W] (indices clamped at borders). */
export function bicubicUpsample(m: ArrayLike<number>, h: number, w: number, H: number, W: number): Float64Array {
  const axis = (outSize: number, inSize: number): { i0: number; wt: [number, number, number, number] }[] =>
    Array.from({ length: outSize }, (_, o) => {
      const src = ((o + 0.5) * inSize) / outSize - 0.5;
      const i0 = Math.floor(src);
      return { i0, wt: cubicWeights(src - i0) };
    });
  const ys = axis(H, h);
  const xs = axis(W, w);
  const clamp = (i: number, n: number): number => Math.min(n - 1, Math.max(0, i));
  const out = new Float64Array(H * W);
  for (let y = 0; y < H; y++) {
    const { i0: y0, wt: wy } = ys[y] as (typeof ys)[number];
    for (let x = 0; x < W; x++) {
      const { i0: x0, wt: wx } = xs[x] as (typeof xs)[number];
      let acc = 0;
      for (let j = 0; j < 4; j++) {
        const row = clamp(y0 - 1 + j, h) * w;
        for (let i = 0; i < 4; i++) acc += (wy[j] as number) * (wx[i] as number) * (m[row + clamp(x0 - 1 + i, w)] as number);
      }
      out[y * W + x] = acc;
    }
  }
  return out;
}

/** Σ over heads of layer's map for token `token` of image `batch`, [h·w]. */
function headSum(l: LayerProbs, batch: number, token: number): Float64Array {
  const [, heads, n, s] = l.dims;
  const out = new Float64Array(n);
  for (let h = 0; h < heads; h++) {
    const base = (batch * heads + h) * n * s;
    for (let p = 0; p < n; p++) out[p] = (out[p] as number) + (l.data[base + p * s + token] as number);
  }
  return out;
}

/** DAAM heat map of one token: Σ over steps, layers and heads of the bicubically upsampled maps, [size·size]. */
export function daamHeatMap(steps: readonly (readonly LayerProbs[])[], batch: number, token: number, size: number): Float64Array {
  const out = new Float64Array(size * size);
  for (const layers of steps) {
    for (const l of layers) {
      const up = bicubicUpsample(headSum(l, batch, token), l.resolution[0], l.resolution[1], size, size);
      for (let p = 0; p < out.length; p++) out[p] = (out[p] as number) + (up[p] as number);
    }
  }
  return out;
}

/** IoU of the DAAM-binarised heat map (min–max, > τ) with the object mask (coverage 0..255, ≥ 128 counts). */
export function daamIou(heat: ArrayLike<number>, mask: Uint8Array, threshold = DAAM_THRESHOLD): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < heat.length; i++) {
    lo = Math.min(lo, heat[i] as number);
    hi = Math.max(hi, heat[i] as number);
  }
  let inter = 0;
  let union = 0;
  for (let i = 0; i < heat.length; i++) {
    const a = ((heat[i] as number) - lo) / (hi - lo + 1e-8) > threshold;
    const b = (mask[i] as number) >= 128;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union === 0 ? 0 : inter / union;
}

/** Area coverage (0..1) of each cell of an h×w grid by a size×size coverage mask (0..255). */
export function cellCoverage(mask: Uint8Array, size: number, h: number, w: number): Float64Array {
  const out = new Float64Array(h * w);
  const fy = size / h;
  const fx = size / w;
  for (let p = 0; p < size * size; p++) {
    const i = Math.floor(Math.floor(p / size) / fy) * w + Math.floor((p % size) / fx);
    out[i] = (out[i] as number) + (mask[p] as number) / 255;
  }
  return out.map((v) => v / (fy * fx));
}

/** Options of the DisenDiff-processed map (defaults: the released values, src/train/config.ts DISENDIFF_DEFAULTS). */
export type ShareOptions = { eps: number; sigma: number; kernelSize: number; square: boolean; blur: boolean };
export const DISENDIFF_MAP: ShareOptions = { eps: 1e-8, sigma: 0.5, kernelSize: 3, square: true, blur: true };

/** The DisenDiff class map of one token (mean over the given layers' heads, min–max, blur, square), [h·w]. */
export function disendiffMap(layers: readonly LayerProbs[], batch: number, token: number, o: ShareOptions = DISENDIFF_MAP): Float64Array {
  const first = layers[0] as LayerProbs;
  const [h, w] = first.resolution;
  const raw = new Float64Array(h * w);
  let heads = 0;
  for (const l of layers) {
    const s = headSum(l, batch, token);
    for (let p = 0; p < raw.length; p++) raw[p] = (raw[p] as number) + (s[p] as number);
    heads += l.dims[1];
  }
  return processMap(raw.map((v) => v / heads), h, w, { eps: o.eps, blur: o.blur, kernel1d: gaussianKernel1d(o.kernelSize, o.sigma), square: o.square });
}

/** Share of a map's weight on each object's cells: { own, other } for object `own` among `masks`. */
export function objectShares(map: ArrayLike<number>, masks: readonly Uint8Array[], size: number, h: number, w: number, own: number): { own: number; other: number } {
  let total = 0;
  for (let p = 0; p < map.length; p++) total += map[p] as number;
  const shareOf = (k: number): number => {
    const cov = cellCoverage(masks[k] as Uint8Array, size, h, w);
    let s = 0;
    for (let p = 0; p < cov.length; p++) s += (map[p] as number) * (cov[p] as number);
    return total > 0 ? s / total : 0;
  };
  let other = 0;
  masks.forEach((_, k) => {
    if (k !== own) other += shareOf(k);
  });
  return { own: shareOf(own), other };
}

/** Mean of the finite values (NaN for none). */
export function meanOf(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
}
