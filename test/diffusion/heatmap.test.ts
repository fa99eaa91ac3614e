// Attention heatmaps: bilinear resize with torch align_corners=False semantics, colormaps, normalisation.
import { describe, expect, it } from 'vitest';
import { attentionHeatmap, colormapRgb, resizeBilinear } from '../../src/diffusion/image/heatmap';

describe('resizeBilinear', () => {
  it('matches torch F.interpolate(bilinear, align_corners=False) on a 2×2 → 4×4 case', () => {
    // torch: [[1,2],[3,4]] → rows [1,1.25,1.75,2], [1.5,1.75,2.25,2.5], [2.5,2.75,3.25,3.5], [3,3.25,3.75,4]
    const out = resizeBilinear(Float32Array.from([1, 2, 3, 4]), 2, 2, 4, 4);
    expect(Array.from(out)).toEqual([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
  });
  it('is the identity at the same size', () => {
    const src = Float32Array.from([0.1, 0.7, 0.3, 0.9, 0.5, 0.2]);
    expect(Array.from(resizeBilinear(src, 2, 3, 2, 3))).toEqual(Array.from(src));
  });
});

describe('colormaps', () => {
  it('jet runs dark blue → green → dark red; gray is linear; viridis hits its anchors', () => {
    expect(colormapRgb('jet', 0)).toEqual([0, 0, 128]);
    expect(colormapRgb('jet', 0.5)).toEqual([128, 255, 128]);
    expect(colormapRgb('jet', 1)).toEqual([128, 0, 0]);
    expect(colormapRgb('gray', 0.5)).toEqual([128, 128, 128]);
    expect(colormapRgb('viridis', 0)).toEqual([68, 1, 84]);
    expect(colormapRgb('viridis', 1)).toEqual([253, 231, 37]);
  });
});

describe('attentionHeatmap', () => {
  it('min-max normalises, upsamples and colours a 16×16 map to RGBA', () => {
    const map = Float32Array.from({ length: 256 }, (_, i) => (i % 16) * 0.001 + 5);
    const img = attentionHeatmap(map, 16, 16, { width: 64, height: 32, colormap: 'gray', alpha: 200 });
    expect([img.width, img.height, img.channels, img.data.length]).toEqual([64, 32, 4, 64 * 32 * 4]);
    expect(Array.from(img.data.subarray(0, 4))).toEqual([0, 0, 0, 200]);
    expect(Array.from(img.data.subarray(63 * 4, 64 * 4))).toEqual([255, 255, 255, 200]);
  });
  it('colours a constant map as the low end and rejects a wrong-sized map', () => {
    expect(Array.from(attentionHeatmap(new Float32Array(4).fill(3), 2, 2).data.subarray(0, 4))).toEqual([0, 0, 128, 255]);
    expect(() => attentionHeatmap(new Float32Array(5), 2, 2)).toThrow(/has 5 values; \[2, 2\] needs 4/);
    expect(() => attentionHeatmap(new Float32Array(4), 2, 2, { colormap: 'hot' as never })).toThrow(/jet, viridis, gray/);
  });
});
