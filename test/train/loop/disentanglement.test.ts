// Disentanglement arithmetic on synthetic figures: D(i, j), attribute shares, and a two-scene variant whose image
// alignment, text alignment, similarity/attribute leakage and own-appearance figures are computed by hand.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { attributeShare, distinguishing, pairedComparison, pixelFigures, pixelShares, referencePalette, scoreDisentanglement } from '../../../src/train/loop/disentanglement';
import type { Appearance, Cell, PairedComparison, ShownAppearance } from '../../../src/train/loop/disentanglement';

const shown = (colors: string[], patterns: string[]): ShownAppearance => ({ colors: new Set(colors), patterns: new Set(patterns) });
const purpleStriped: Appearance = { color: 'purple', pattern: 'striped' };
const orangeDotted: Appearance = { color: 'orange', pattern: 'dotted' };
const orangeStriped: Appearance = { color: 'orange', pattern: 'striped' };

describe('distinguishing attributes', () => {
  it('keeps only what differs, and shares count the shown fraction', () => {
    expect(distinguishing(purpleStriped, orangeDotted)).toEqual({ colors: ['orange'], patterns: ['dotted'] });
    expect(distinguishing(purpleStriped, orangeStriped)).toEqual({ colors: ['orange'], patterns: [] });
    expect(attributeShare(shown(['orange', 'purple'], ['striped']), distinguishing(purpleStriped, orangeDotted))).toBe(0.5);
    expect(attributeShare(shown([], []), distinguishing(purpleStriped, purpleStriped))).toBeUndefined();
  });
});

describe('scoring one variant', () => {
  it('averages alignment, leakage and own appearance exactly as the header defines them', () => {
    const appearances = [[purpleStriped, orangeDotted], [purpleStriped, orangeStriped]];
    const single = [
      // scene 0, concept 0: looks like itself (0.8), a bit like concept 1 (0.5 vs control 0.3), shows orange
      { scene: 0, concept: 0, refSimilarity: [0.8, 0.5], controlSimilarity: [0.2, 0.3], shown: shown(['purple', 'orange'], ['striped']), textAlignment: 1 },
      // scene 0, concept 1: no leak of concept 0 (0.1 vs 0.2), shows its own colour only
      { scene: 0, concept: 1, refSimilarity: [0.1, 0.6], controlSimilarity: [0.2, 0.1], shown: shown(['orange'], ['solid']), textAlignment: 0.5 },
      // scene 1, concept 0: D(0, 1) = {orange}: not shown
      { scene: 1, concept: 0, refSimilarity: [0.4, 0.0], controlSimilarity: [0.4, 0.0], shown: shown(['purple'], ['striped']), textAlignment: 0 },
    ];
    const combined = [{ scene: 0, refSimilarity: [0.5, 0.7], textAlignment: 0.75 }];
    const s = scoreDisentanglement(appearances, single, combined);
    expect(s.images).toEqual({ single: 3, combined: 1 });
    expect(s.imageAlignment.perConcept[0]).toBeCloseTo((0.8 + 0.4) / 2, 12);
    expect(s.imageAlignment.perConcept[1]).toBeCloseTo(0.6, 12);
    expect(s.imageAlignment.single).toBeCloseTo((0.8 + 0.6 + 0.4) / 3, 12);
    expect(s.imageAlignment.combined).toBeCloseTo(0.6, 12);
    expect(s.textAlignment.single).toBeCloseTo(0.5, 12);
    expect(s.textAlignment.combined).toBe(0.75);
    // leakage: (0.5 − 0.3), (0.1 − 0.2), (0.0 − 0.0) → mean 0.1/3; attributes: 1/2, 0/2, 0/1 → mean 1/6
    expect(s.leakage.similarity).toBeCloseTo(0.1 / 3, 12);
    expect(s.leakage.attribute).toBeCloseTo(1 / 6, 12);
    // own: (0.8 − 0.2), (0.6 − 0.1), (0.4 − 0.4); attributes 2/2, 1/2, 2/2
    expect(s.own.similarity).toBeCloseTo(1.1 / 3, 12);
    expect(s.own.attribute).toBeCloseTo(2.5 / 3, 12);
  });

  it('reports null where nothing was scored and names an unknown concept', () => {
    const s = scoreDisentanglement([[purpleStriped]], [], []);
    expect([s.imageAlignment.single, s.leakage.similarity, s.textAlignment.combined]).toEqual([null, null, null]);
    expect(() => scoreDisentanglement([[purpleStriped]], [{ scene: 0, concept: 2, refSimilarity: [1], controlSimilarity: [0], shown: shown([], []), textAlignment: 0 }], [])).toThrow(/scene 0 concept 2, but that scene has 1 concepts/);
  });
});

describe('paired comparison of two variants', () => {
  const cells = (values: number[][]): Cell[] => values.flatMap((row, seed) => row.map((value, scene) => ({ seed, scene, value })));
  const rng = (): (() => number) => {
    const r = new Rng(4);
    return () => r.uniform();
  };

  it('pairs by (seed, scene), ignores unshared cells, and gives undefined when none is shared', () => {
    const a = cells([[0.5, 0.2, 0.9], [0.4, 0.1]]);
    const b = cells([[0.3, 0.2], [0.1, 0.3, 0.7]]);
    const c = pairedComparison(a, b, rng()) as PairedComparison;
    expect(c.cells).toBe(4);
    expect(c.scenes).toBe(2);
    expect(c.difference).toBeCloseTo((0.2 + 0 + 0.3 - 0.2) / 4, 12);
    expect([c.meanA, c.meanB].map((x) => +x.toFixed(6))).toEqual([0.3, 0.225]);
    expect(pairedComparison(a, [{ seed: 9, scene: 0, value: 1 }], rng())).toBeUndefined();
  });

  it('gives a zero-width interval for a constant shift and a wider one, around the mean, for a noisy one', () => {
    const b = cells([[0.1, 0.4, 0.2, 0.6], [0.3, 0.5, 0.2, 0.1]]);
    const shifted = b.map((x) => ({ ...x, value: x.value + 0.1 }));
    const flat = pairedComparison(shifted, b, rng()) as PairedComparison;
    expect(flat.interval[0]).toBeCloseTo(0.1, 12);
    expect(flat.interval[1]).toBeCloseTo(0.1, 12);
    const noisy = b.map((x, k) => ({ ...x, value: x.value + (k % 2 ? 0.3 : -0.1) }));
    const c = pairedComparison(noisy, b, rng()) as PairedComparison;
    expect(c.difference).toBeCloseTo(0.1, 12);
    expect(c.interval[0]).toBeLessThan(0.1);
    expect(c.interval[1]).toBeGreaterThan(0.1);
    expect(c.interval[0]).toBeGreaterThanOrEqual(-0.1 - 1e-12);
    expect(c.interval[1]).toBeLessThanOrEqual(0.3 + 1e-12);
    expect(pairedComparison(noisy, b, rng())).toEqual(c);
  });

  it('resamples whole scenes: one scene leaves no spread however its seeds differ', () => {
    const a = [{ seed: 1, scene: 0, value: 0.9 }, { seed: 2, scene: 0, value: 0.1 }];
    const b = [{ seed: 1, scene: 0, value: 0 }, { seed: 2, scene: 0, value: 0 }];
    const c = pairedComparison(a, b, rng()) as PairedComparison;
    expect(c.interval.map((x) => +x.toFixed(9))).toEqual([0.5, 0.5]);
  });
});

describe('pixel shares against a reference palette', () => {
  // reference 2×2: background grey, object 0 red (full coverage), object 1 blue (full), one mixed edge pixel
  const rgba = [128, 128, 128, 255, 250, 0, 0, 255, 0, 0, 250, 255, 120, 60, 120, 255];
  const masks = [[0, 255, 0, 128], [0, 0, 255, 100]];

  it('labels fully covered and background pixels, leaves mixed edge pixels out, and lets the top object win', () => {
    const p = referencePalette(rgba, masks);
    expect(Array.from(p.labels)).toEqual([-1, 0, 1]);
    expect(Array.from(p.colors)).toEqual([(128 << 16) | (128 << 8) | 128, 250 << 16, 250]);
    const overlap = referencePalette([9, 9, 9, 255], [[255], [255]]);
    expect(Array.from(overlap.labels)).toEqual([1]);
  });

  it('gives each object the fraction of generated pixels whose nearest palette colour is its own', () => {
    const p = referencePalette(rgba, masks);
    // generated: dark red, grey-ish, navy, red, i.e. 2 red, 1 blue, 1 background of 4
    const img = [150, 20, 10, 255, 110, 120, 130, 255, 10, 10, 140, 255, 240, 5, 5, 255];
    expect(pixelShares(p, img, 2)).toEqual([0.5, 0.25]);
  });

  it('averages own and other shares over single-concept images and counts the empty ones', () => {
    const f = pixelFigures([{ concept: 0, shares: [0.2, 0.02] }, { concept: 1, shares: [0.004, 0.005] }, { concept: 1, shares: [0, 0.3] }]);
    expect(f.empty).toBe(1);
    expect(f.own).toBeCloseTo((0.2 + 0.005 + 0.3) / 3, 12);
    expect(f.leakage).toBeCloseTo((0.02 + 0.004 + 0) / 3, 12);
    expect(pixelFigures([]).own).toBeNaN();
  });
});

