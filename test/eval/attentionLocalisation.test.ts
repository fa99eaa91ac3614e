// Attention-localisation figures (src/eval/attentionLocalisation.ts): bicubic upsampling against torch's own
// F.interpolate (test/fixtures/bicubic-torch.json, tools/fixtures/bicubic.py), DAAM IoU and DisenDiff shares on
// planted attention: a token whose probabilities sit exactly on its object must score IoU 1 and share ≈ 1, one that
// attends to the other object must score share ≈ 0.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bicubicUpsample, cellCoverage, daamHeatMap, daamIou, disendiffMap, objectShares } from '../../src/eval/attentionLocalisation';
import type { LayerProbs } from '../../src/eval/attentionLocalisation';

type Case = { h: number; w: number; H: number; W: number; input: number[]; output: number[] };
const fixture = JSON.parse(readFileSync('test/fixtures/bicubic-torch.json', 'utf8')) as { cases: Case[] };

/** Two objects on a 16×16 image: left half rows 2–7 (object 0), right half rows 8–13 (object 1). */
function masks(size = 16): Uint8Array[] {
  const a = new Uint8Array(size * size);
  const b = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    if (y >= 2 && y < 8 && x < 8) a[y * size + x] = 255;
    if (y >= 8 && y < 14 && x >= 8) b[y * size + x] = 255;
  }
  return [a, b];
}

/** One layer [1, heads, h·w, S=4] where token 1 attends to object 0's cells and token 2 to object 1's. */
function planted(h: number, heads = 2): LayerProbs {
  const [m0, m1] = masks().map((m) => cellCoverage(m, 16, h, h));
  const s = 4;
  const data = new Float32Array(heads * h * h * s);
  for (let hd = 0; hd < heads; hd++) for (let p = 0; p < h * h; p++) {
    const a = (m0 as Float64Array)[p] as number;
    const b = (m1 as Float64Array)[p] as number;
    const base = (hd * h * h + p) * s;
    data[base + 1] = 0.9 * a;
    data[base + 2] = 0.9 * b;
    data[base + 0] = 1 - 0.9 * a - 0.9 * b - 0.05;
    data[base + 3] = 0.05;
  }
  return { data, dims: [1, heads, h * h, s], resolution: [h, h] };
}

describe('attention localisation', () => {
  it('upsamples bicubically exactly as torch F.interpolate (align_corners False)', () => {
    for (const c of fixture.cases) {
      const got = bicubicUpsample(c.input, c.h, c.w, c.H, c.W);
      const err = Math.max(...c.output.map((v, i) => Math.abs(v - (got[i] as number))));
      expect(err).toBeLessThan(1e-12);
    }
  });
  it('gives IoU near 1 to a token planted on its object and 0 to the token planted on the other object', () => {
    const [m0, m1] = masks();
    const steps = [[planted(8), planted(4)]];
    expect(daamIou(daamHeatMap(steps, 0, 1, 16), m0 as Uint8Array)).toBeGreaterThan(0.8);
    expect(daamIou(daamHeatMap(steps, 0, 2, 16), m1 as Uint8Array)).toBeGreaterThan(0.8);
    expect(daamIou(daamHeatMap(steps, 0, 1, 16), m1 as Uint8Array)).toBe(0);
  });
  it('puts the DisenDiff-processed map of a planted token on its own object, not the other', () => {
    const ms = masks();
    const map = disendiffMap([planted(8)], 0, 1);
    const own = objectShares(map, ms, 16, 8, 8, 0);
    expect(own.own).toBeGreaterThan(0.85); // the 3×3 blur spreads ≈ 10 % past the outline
    expect(own.other).toBeLessThan(0.05);
    const wrong = objectShares(map, ms, 16, 8, 8, 1);
    expect(wrong.own).toBeLessThan(0.05);
  });
  it('counts cell coverage as area fractions', () => {
    const m = new Uint8Array(16);
    m[0] = 255;
    m[1] = 255;
    expect([...cellCoverage(m, 4, 2, 2)]).toEqual([0.5, 0, 0, 0]);
  });
});
