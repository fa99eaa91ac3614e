// Truncated SVD for the kohya LoRA export: a hand-checkable case, numpy's LAPACK SVD on seeded matrices
// (test/fixtures/pack/svd.json from tools/ecosystem/svd_fixture.py), exactness at rank ≥ rank(ΔW).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { symmetricEigen, truncatedSvd } from '../../../src/train/pack/lowRank';

type Case = { name: string; rows: number; cols: number; data: number[]; singularValues: number[]; optimalRelativeError: number[] };
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/pack/svd.json', import.meta.url), 'utf8')) as { cases: Case[] };
const byName = (n: string): Case => fixture.cases.find((c) => c.name.startsWith(n)) as Case;

describe('truncatedSvd', () => {
  it('keeps the larger singular value of diag(3, 4): error 3/5, factors 4·e2 ⊗ e2', () => {
    const r = truncatedSvd(Float32Array.of(3, 0, 0, 4), 2, 2, 1);
    expect(r.relativeError).toBeCloseTo(0.6, 12);
    expect(r.singularValues[0]).toBeCloseTo(4, 12);
    expect(r.singularValues[1]).toBeCloseTo(3, 12);
    const product = [0, 1, 2, 3].map((i) => (r.up[Math.floor(i / 2)] as number) * (r.down[i % 2] as number));
    [0, 0, 0, 4].forEach((x, i) => expect(product[i]).toBeCloseTo(x, 6));
    expect(truncatedSvd(Float32Array.of(3, 0, 0, 4), 2, 2, 2).relativeError).toBeLessThan(1e-7);
  });

  it('matches numpy on a 12×9 Gaussian matrix at every rank (the sketch spans the whole range)', () => {
    const c = byName('gaussian');
    const a = Float32Array.from(c.data);
    for (let r = 1; r <= 9; r++) {
      const s = truncatedSvd(a, c.rows, c.cols, r);
      expect(s.relativeError).toBeCloseTo(c.optimalRelativeError[r - 1] as number, 6);
    }
    const all = truncatedSvd(a, c.rows, c.cols, 9).singularValues;
    c.singularValues.forEach((v, i) => expect(all[i]).toBeCloseTo(v, 5));
  });

  it('reaches the Eckart–Young error on a 60×40 matrix with decaying spectrum (randomized path, k = r + 8 < 40)', () => {
    const c = byName('60x40, singular');
    const a = Float32Array.from(c.data);
    for (const r of [1, 4, 10, 20]) {
      const s = truncatedSvd(a, c.rows, c.cols, r, { seed: r });
      const best = c.optimalRelativeError[r - 1] as number;
      expect(s.relativeError).toBeGreaterThanOrEqual(best * (1 - 1e-6));
      expect(s.relativeError).toBeLessThan(best * 1.001 + 1e-7);
      for (let i = 0; i < r; i++) expect(s.singularValues[i]).toBeCloseTo(c.singularValues[i] as number, 5);
    }
  });

  it('is exact (float32 rounding) when the rank of ΔW is at most r, and not below it', () => {
    const c = byName('60x40 of rank 3');
    const a = Float32Array.from(c.data);
    expect(truncatedSvd(a, c.rows, c.cols, 3).relativeError).toBeLessThan(1e-6);
    expect(truncatedSvd(a, c.rows, c.cols, 8).relativeError).toBeLessThan(1e-6);
    expect(truncatedSvd(a, c.rows, c.cols, 2).relativeError).toBeCloseTo(c.optimalRelativeError[1] as number, 6);
  });

  it('gives zero factors and zero error for a zero matrix, and refuses a bad shape or rank', () => {
    const z = truncatedSvd(new Float32Array(12), 3, 4, 2);
    expect([z.relativeError, z.norm, Math.max(...z.up, ...z.down)]).toEqual([0, 0, 0]);
    expect(() => truncatedSvd(new Float32Array(5), 2, 3, 1)).toThrow(/5 values for shape \[2, 3\]/);
    expect(() => truncatedSvd(new Float32Array(6), 2, 3, 0)).toThrow(/positive integer/);
  });

  it('symmetricEigen diagonalises a symmetric matrix: C·w = λ·w, values descending', () => {
    const c = Float64Array.of(2, 1, 0, 1, 3, 1, 0, 1, 4);
    const { values, vectors } = symmetricEigen(c, 3);
    expect(values[0]).toBeGreaterThan(values[1] as number);
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) {
      let cw = 0;
      for (let l = 0; l < 3; l++) cw += (c[i * 3 + l] as number) * (vectors[l * 3 + j] as number);
      expect(cw).toBeCloseTo((values[j] as number) * (vectors[i * 3 + j] as number), 10);
    }
  });
});
