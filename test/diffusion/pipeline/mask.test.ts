// Mask maths of inpainting: A1111's blur kernel size and normalisation, feathering symmetric about the mask's
// edge, invert, the latent-grid copy rounded half to even, and the pixel blend keeping m = 0 pixels exactly.
import { describe, expect, it } from 'vitest';
import { binaryMaskFromRgba, blendPixels, featherMask, gaussianKernel, latentMask, rgbToPixels } from '../../../src/diffusion/pipeline/mask';

describe('when feathering a mask', () => {
  it('uses cv2 kernels of 2·⌊2.5σ + 0.5⌋ + 1 taps that sum to 1', () => {
    for (const [sigma, taps] of [[1, 7], [4, 21], [0.5, 3]] as const) {
      const k = gaussianKernel(sigma);
      expect(k.length).toBe(taps);
      expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(k[(taps - 1) / 2]).toBe(Math.max(...k));
    }
  });

  it('blurs a half-plane symmetrically about its edge and keeps far pixels at exactly 0 and 1', () => {
    const [w, h] = [20, 4];
    const m = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < 10; x++) m[y * w + x] = 255;
    const f = featherMask(m, w, h, 1);
    for (let d = 0; d < 4; d++) expect((f[9 - d] as number) + (f[10 + d] as number)).toBeCloseTo(1, 2);
    expect([f[0], f[6], f[13], f[19]]).toEqual([1, 1, 0, 0]);
    expect(featherMask(m, w, h, 0, true)[0]).toBe(0);
    expect(featherMask(m, w, h, 0, true)[19]).toBe(1);
  });

  it('rounds each latent cell at more than half (np.around: 0.5 → 0)', () => {
    // 4×4 pixels, factor 2: cells covered by 1, 2 and 3 quarter-pixels... of 4
    const f = Float32Array.from([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(latentMask(f, 4, 4, 2))).toEqual([0, 1, 1, 0]);
  });

  it('blends pixels by the mask, m = 0 keeping the init byte', () => {
    const gen = Uint8Array.from([200, 200, 200, 100, 100, 100]);
    const init = Uint8Array.from([0, 10, 20, 30, 40, 50]);
    expect(Array.from(blendPixels(gen, init, Float32Array.from([0.5, 0])))).toEqual([100, 105, 110, 30, 40, 50]);
  });

  it('maps bytes to [−1, 1] planes', () => {
    const px = Array.from(rgbToPixels(Uint8Array.from([0, 255, 51]), 1, 1, 3));
    expect(px.slice(0, 2)).toEqual([-1, 1]);
    expect(px[2]).toBeCloseTo(-0.6, 6);
  });
});

describe('when reading a mask image', () => {
  it('thresholds luminance above 128, or alpha when the image has transparency (A1111 create_binary_mask)', () => {
    const opaque = Uint8Array.from([255, 255, 255, 255, 129, 129, 129, 255, 128, 128, 128, 255, 0, 0, 255, 255]);
    expect(Array.from(binaryMaskFromRgba(opaque, 4, 1))).toEqual([255, 255, 0, 0]);
    const alpha = Uint8Array.from([0, 0, 0, 200, 255, 255, 255, 0]);
    expect(Array.from(binaryMaskFromRgba(alpha, 2, 1))).toEqual([255, 0]);
  });
});
