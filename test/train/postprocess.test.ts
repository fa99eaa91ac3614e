// CPU reference of DisenDiff's map post-processing (docs/disendiff.md §2.6): the Gaussian kernel weights listed in
// §2.6, min–max, reflect-padded blur, squaring, and the mean over heads and layers, on hand-made maps.
import { describe, expect, it } from 'vitest';
import { gaussianBlur, gaussianKernel1d, gaussianKernel2d, meanTokenMap, minMaxNormalize, processMap, squareMap } from '../../src/train/index';
import type { ProbTensor } from '../../src/train/index';

describe('the Gaussian kernel (σ = 0.5, size 3, A&E exponent with 2σ)', () => {
  it('has the 1-D weights [0.2119, 0.5761, 0.2119] listed in docs/disendiff.md §2.6', () => {
    const k = gaussianKernel1d(3, 0.5);
    expect(k.map((v) => v.toFixed(4))).toEqual(['0.2119', '0.5761', '0.2119']);
    expect(k.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });
  it('has the 2-D centre 0.3319, edge 0.1221 and corner 0.0449', () => {
    const k = gaussianKernel2d(3, 0.5).map((v) => v.toFixed(4));
    expect(k).toEqual(['0.0449', '0.1221', '0.0449', '0.1221', '0.3319', '0.1221', '0.0449', '0.1221', '0.0449']);
  });
});

describe('min–max normalisation with eps 1e-8', () => {
  it('maps the minimum to 0 and the maximum to (max−min)/(max−min+1e-8)', () => {
    const m = minMaxNormalize([2, 4, 3, 6], 1e-8);
    expect(m[0]).toBe(0);
    expect(m[2]).toBeCloseTo(0.25, 7);
    expect(m[3]).toBeCloseTo(4 / (4 + 1e-8), 12);
  });
  it('turns a constant map into zeros instead of NaN', () => {
    expect([...minMaxNormalize([0.3, 0.3, 0.3], 1e-8)]).toEqual([0, 0, 0]);
  });
});

describe('the reflect-padded 3×3 blur', () => {
  it('spreads a corner impulse without edge repeat: the corner keeps only the centre weight', () => {
    const m = new Float64Array(16);
    m[0] = 1;
    const out = gaussianBlur(m, 4, 4, gaussianKernel1d(3, 0.5));
    const [c, e] = [0.5761, 0.2119];
    expect(out[0]).toBeCloseTo(c * c, 4);
    expect(out[1]).toBeCloseTo(e * c, 4);
    expect(out[5]).toBeCloseTo(e * e, 4);
    expect(out[2]).toBe(0);
  });
  it('reflects an impulse next to the edge onto the edge pixel twice (torch "reflect", not "replicate")', () => {
    const m = new Float64Array(16);
    m[1] = 1;
    const out = gaussianBlur(m, 4, 4, gaussianKernel1d(3, 0.5));
    expect(out[0]).toBeCloseTo(2 * 0.5761 * 0.2119, 3);
  });
  it('keeps a constant map constant (weights sum to 1)', () => {
    const out = gaussianBlur(new Float64Array(9).fill(0.7), 3, 3, gaussianKernel1d(3, 0.5));
    for (const v of out) expect(v).toBeCloseTo(0.7, 12);
  });
});

describe('suppression and the full chain', () => {
  it('squares element-wise', () => {
    expect([...squareMap([0.5, -2, 1])]).toEqual([0.25, 4, 1]);
  });
  it('processMap squares only when asked (class maps), after min–max and blur', () => {
    const raw = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const o = { eps: 1e-8, blur: true, kernel1d: gaussianKernel1d(3, 0.5) };
    const mod = processMap(raw, 3, 3, { ...o, square: false });
    const cls = processMap(raw, 3, 3, { ...o, square: true });
    cls.forEach((v, i) => expect(v).toBeCloseTo((mod[i] as number) ** 2, 12));
    expect(mod[4]).toBeCloseTo(0.5, 7);
  });
});

describe('the mean over heads and layers', () => {
  it('averages every head map of every layer with equal weight (40 maps for SD 1.5)', () => {
    const layerA: ProbTensor = { dims: [1, 2, 2, 3], data: Float32Array.from([0, 1, 0, 0, 3, 0, /* head 1 */ 0, 5, 0, 0, 7, 0]) };
    const layerB: ProbTensor = { dims: [1, 1, 2, 3], data: Float32Array.from([0, 9, 0, 0, 2, 0]) };
    expect([...meanTokenMap([layerA, layerB], 0, 1)]).toEqual([5, 4]);
  });
});
