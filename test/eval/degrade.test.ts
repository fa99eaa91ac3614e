// The evaluator's training degradations (src/eval/degrade.ts): Gaussian taps, blur and noise on RGBA images.
// Oracles: the Gaussian formula, invariants (constant images stay constant, σ = 0 and no noise is identity, alpha
// kept), a step edge blurred symmetrically, and determinism per seed.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/random';
import { BLUR_RANGE, degradeImage, DEGRADE_SHARE, gaussianTaps, NOISE_RANGE, sampleDegradation } from '../../src/eval/index';

const image = (size: number, f: (x: number, y: number) => number) => {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rgba.set([f(x, y), f(x, y), f(x, y), 200], (y * size + x) * 4);
  return { size, rgba };
};

describe('evaluator degradations', () => {
  it('Gaussian taps follow exp(−k²/2σ²), radius ⌈3σ⌉, sum to 1', () => {
    const t = gaussianTaps(1);
    expect(t.length).toBe(7);
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect((t[3] as number) / (t[4] as number)).toBeCloseTo(Math.exp(0.5), 5);
    expect([...gaussianTaps(0)]).toEqual([1]);
  });

  it('σ = 0 without noise is the identity; constant images stay constant under blur; alpha is kept', () => {
    const img = image(8, (x, y) => 10 * x + y);
    expect([...degradeImage(img, { blurSigma: 0, noiseStd: 0 }, new Rng(1)).rgba]).toEqual([...img.rgba]);
    const flat = degradeImage(image(8, () => 77), { blurSigma: 1.3, noiseStd: 0 }, new Rng(1));
    for (let p = 0; p < 64; p++) expect([...flat.rgba.subarray(p * 4, p * 4 + 4)]).toEqual([77, 77, 77, 200]);
  });

  it('blurs a step edge symmetrically and monotonically', () => {
    const out = degradeImage(image(16, (x) => (x < 8 ? 0 : 200)), { blurSigma: 1, noiseStd: 0 }, new Rng(1));
    const row = Array.from({ length: 16 }, (_, x) => out.rgba[(5 * 16 + x) * 4] as number);
    for (let x = 1; x < 16; x++) expect(row[x]).toBeGreaterThanOrEqual(row[x - 1] as number);
    for (let k = 0; k < 8; k++) expect((row[7 - k] as number) + (row[8 + k] as number)).toBeCloseTo(200, -0.5);
    expect(row[7]).toBeGreaterThan(20);
    expect(row[8]).toBeLessThan(180);
  });

  it('noise is seeded and has about the asked standard deviation', () => {
    const img = image(32, () => 128);
    const a = degradeImage(img, { blurSigma: 0, noiseStd: 6 }, new Rng(4));
    expect([...a.rgba]).toEqual([...degradeImage(img, { blurSigma: 0, noiseStd: 6 }, new Rng(4)).rgba]);
    let s2 = 0;
    for (let p = 0; p < 1024; p++) s2 += ((a.rgba[p * 4] as number) - 128) ** 2;
    expect(Math.sqrt(s2 / 1024)).toBeGreaterThan(5);
    expect(Math.sqrt(s2 / 1024)).toBeLessThan(7);
  });

  it('draws degradations for about DEGRADE_SHARE of the scenes, inside the ranges', () => {
    const rng = new Rng(9);
    const ds = Array.from({ length: 1000 }, () => sampleDegradation(rng));
    const some = ds.filter((d) => d !== undefined);
    expect(Math.abs(some.length / 1000 - DEGRADE_SHARE)).toBeLessThan(0.05);
    for (const d of some) {
      expect(d.blurSigma).toBeGreaterThanOrEqual(BLUR_RANGE[0]);
      expect(d.blurSigma).toBeLessThanOrEqual(BLUR_RANGE[1]);
      expect(d.noiseStd).toBeGreaterThanOrEqual(NOISE_RANGE[0]);
      expect(d.noiseStd).toBeLessThanOrEqual(NOISE_RANGE[1]);
    }
  });
});
