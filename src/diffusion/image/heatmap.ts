// Attention-map visualisation: Float32 [h, w] map → min-max normalised → bilinear upsample
// (align_corners = false, as torch F.interpolate) → colormap → RGBA pixels for a PNG or canvas.
// Pure; no DOM. Reference: disendiff.md §2.6 (16×16 maps, min-max); jet = matplotlib-style piecewise
// linear; viridis = 5-anchor linear approximation of matplotlib's (not the exact 256-entry table).
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

/** Bilinear resize, align_corners = false (torch semantics: source coords clamped at 0). [h, w] → [outH, outW]. */
export function resizeBilinear(src: Float32Array, h: number, w: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(outH * outW);
  const axis = (o: number, inSize: number, outSize: number): [number, number, number] => {
    const s = Math.max(0, ((o + 0.5) * inSize) / outSize - 0.5);
    const i0 = Math.min(Math.floor(s), inSize - 1);
    return [i0, Math.min(i0 + 1, inSize - 1), s - i0];
  };
  for (let y = 0; y < outH; y++) {
    const [y0, y1, wy] = axis(y, h, outH);
    for (let x = 0; x < outW; x++) {
      const [x0, x1, wx] = axis(x, w, outW);
      const at = (yy: number, xx: number): number => src[yy * w + xx] as number;
      const top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
      const bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
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
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < up.length; i++) {
    data.set([...colormapRgb(colormap, ((up[i] as number) - lo) * scale), alpha], i * 4);
  }
  return { width, height, channels: 4, data };
}
