// Attention-map visualisation: Float32 [h, w] map → min-max normalised → bilinear upsample
// (align_corners = false, as torch F.interpolate) → colormap → RGBA pixels for a PNG or canvas.
// Pure; no DOM. Reference: docs/disendiff.md §2.6 (16×16 maps, min-max); jet = matplotlib-style piecewise
// linear; viridis = 5-anchor linear approximation of matplotlib's (not the exact 256-entry table).
// Colours come from a 1024-step lookup table (max error ≈ 1/1023 of the range).
import { ConfigError } from '../../lib/errors';
import type { PixelImage } from './png';

export type Colormap = 'jet' | 'viridis' | 'gray';
export const COLORMAPS: readonly Colormap[] = ['jet', 'viridis', 'gray'];

export type HeatmapOptions = {
  /** Output size in pixels. Default: the map's own size. */
  width?: number;
  height?: number;
  /** Default 'jet'. */
  colormap?: Colormap;
  /** Min-max normalise before colouring (default true); when false values are clamped to [0, 1]. */
  shouldNormalize?: boolean;
  /** Alpha of every pixel, 0–255. Default 255. */
  alpha?: number;
};

const VIRIDIS: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** v in [0, 1] → [r, g, b] 0–255. */
export function colormapRgb(map: Colormap, v: number): [number, number, number] {
  const x = clamp01(v);
  if (map === 'gray') return [Math.round(x * 255), Math.round(x * 255), Math.round(x * 255)];
  if (map === 'jet') {
    const ch = (c: number): number => Math.round(255 * clamp01(1.5 - Math.abs(4 * x - c)));
    return [ch(3), ch(2), ch(1)];
  }
  const pos = x * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(pos), VIRIDIS.length - 2);
  const w = pos - i;
  const [a, b] = [VIRIDIS[i] as [number, number, number], VIRIDIS[i + 1] as [number, number, number]];
  return [0, 1, 2].map((k) => Math.round((a[k] as number) * (1 - w) + (b[k] as number) * w)) as [number, number, number];
}

/** Per output index along one axis: source indices i0, i1 and weight of i1 (torch: coords clamped at 0). */
function axisWeights(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = Math.max(0, ((o + 0.5) * inSize) / outSize - 0.5);
    const lo = Math.min(Math.floor(s), inSize - 1);
    i0[o] = lo;
    i1[o] = Math.min(lo + 1, inSize - 1);
    w[o] = s - lo;
  }
  return { i0, i1, w };
}

/** Bilinear resize, align_corners = false (torch F.interpolate semantics). [h, w] → [outH, outW]. */
export function resizeBilinear(src: Float32Array, h: number, w: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(outH * outW);
  const ys = axisWeights(h, outH);
  const xs = axisWeights(w, outW);
  for (let y = 0; y < outH; y++) {
    const r0 = (ys.i0[y] as number) * w;
    const r1 = (ys.i1[y] as number) * w;
    const wy = ys.w[y] as number;
    for (let x = 0; x < outW; x++) {
      const x0 = xs.i0[x] as number;
      const x1 = xs.i1[x] as number;
      const wx = xs.w[x] as number;
      const top = (src[r0 + x0] as number) * (1 - wx) + (src[r0 + x1] as number) * wx;
      const bottom = (src[r1 + x0] as number) * (1 - wx) + (src[r1 + x1] as number) * wx;
      out[y * outW + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/**
 * Colours an attention map.
 * @param map Float32 [h, w], row-major.
 * @returns RGBA PixelImage of the requested size.
 * @throws ConfigError when map.length ≠ h·w or an option is out of range.
 */
export function attentionHeatmap(map: Float32Array, h: number, w: number, options: HeatmapOptions = {}): PixelImage {
  const { width = w, height = h, colormap = 'jet', shouldNormalize = true, alpha = 255 } = options;
  if (map.length !== h * w) throw new ConfigError(`attention map has ${map.length} values; [${h}, ${w}] needs ${h * w}.`);
  if (!COLORMAPS.includes(colormap)) throw new ConfigError(`colormap "${String(colormap)}" is unknown; use one of ${COLORMAPS.join(', ')}.`);
  if (!(width >= 1 && height >= 1 && Number.isInteger(width) && Number.isInteger(height))) {
    throw new ConfigError(`heatmap size ${width}×${height} must be positive integers.`);
  }
  let lo = 0;
  let scale = 1;
  if (shouldNormalize) {
    let hi = -Infinity;
    lo = Infinity;
    for (const v of map) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    scale = hi > lo ? 1 / (hi - lo) : 0;
  }
  const up = resizeBilinear(map, h, w, height, width);
  const lut = Array.from({ length: 1024 }, (_, k) => colormapRgb(colormap, k / 1023));
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < up.length; i++) {
    const rgb = lut[Math.round(clamp01(((up[i] as number) - lo) * scale) * 1023)] as [number, number, number];
    data[i * 4] = rgb[0];
    data[i * 4 + 1] = rgb[1];
    data[i * 4 + 2] = rgb[2];
    data[i * 4 + 3] = alpha;
  }
  return { width, height, channels: 4, data };
}
