// raster.ts: exact painted pixels for strokes, polygons, erase, fill and clear at several resolutions.
// Oracle: hand-derived pixel-centre sets (pixel centre (j+½)·s inside the shape).
import { describe, expect, it } from 'vitest';
import { coverage, imagePoint, overlapCount, rasterizeLayer } from '../../src/editor/index';
import type { ImagePx, MaskLayer, MaskOp } from '../../src/editor/index';
import { Rng } from '../../src/lib/random';

const layer = (...ops: MaskOp[]): MaskLayer => ({ conceptId: 'c1', ops });
const square = (a: number, b: number): MaskOp => ({
  kind: 'polygon',
  mode: 'add',
  points: [imagePoint(a, a), imagePoint(b, a), imagePoint(b, b), imagePoint(a, b)],
});
const on = (m: Uint8Array, res: number): string[] => {
  const out: string[] = [];
  m.forEach((v, k) => v && out.push(`${Math.floor(k / res)},${k % res}`));
  return out;
};

describe('rasterizeLayer', () => {
  it('fills a polygon exactly at pixel centres, at any resolution', () => {
    const m16 = rasterizeLayer(layer(square(4, 12)), 16, 16);
    expect(on(m16, 16).length).toBe(64);
    expect(m16[4 * 16 + 4]).toBe(255);
    expect(m16[3 * 16 + 4]).toBe(0);
    expect(m16[11 * 16 + 11]).toBe(255);
    expect(m16[12 * 16 + 11]).toBe(0);
    const m8 = rasterizeLayer(layer(square(4, 12)), 16, 8);
    expect(on(m8, 8)).toEqual(['2,2', '2,3', '2,4', '2,5', '3,2', '3,3', '3,4', '3,5', '4,2', '4,3', '4,4', '4,5', '5,2', '5,3', '5,4', '5,5']);
  });

  it('paints a stroke as a capsule of its radius', () => {
    const stroke: MaskOp = { kind: 'stroke', mode: 'add', radius: 2 as ImagePx, points: [imagePoint(4, 8), imagePoint(11, 8)] };
    const m = rasterizeLayer(layer(stroke), 16, 16);
    // rows with |i + ½ − 8| ≤ 2 → i = 6..9; columns j = 4..10 have centres on the segment's span
    for (let i = 6; i <= 9; i++) for (let j = 4; j <= 10; j++) expect(m[i * 16 + j]).toBe(255);
    expect(m[5 * 16 + 7]).toBe(0);
    expect(m[10 * 16 + 7]).toBe(0);
    // cap: centre (1.5, 7.5) is 2.55 from (4, 8) → off; (2.5, 7.5) is 1.58 → on
    expect(m[7 * 16 + 1]).toBe(0);
    expect(m[7 * 16 + 2]).toBe(255);
  });

  it('keeps a thin stroke visible on a coarse grid (radius at least half a pixel)', () => {
    const thin: MaskOp = { kind: 'stroke', mode: 'add', radius: 1 as ImagePx, points: [imagePoint(0, 100), imagePoint(512, 100)] };
    const m = rasterizeLayer(layer(thin), 512, 16);
    expect(on(m, 16).filter((p) => p.startsWith('3,')).length).toBe(16);
  });

  it('erases what an earlier operation painted, and clear empties the layer', () => {
    const erase: MaskOp = { kind: 'stroke', mode: 'erase', radius: 1 as ImagePx, points: [imagePoint(8.5, 0), imagePoint(8.5, 16)] };
    const m = rasterizeLayer(layer(square(4, 12), erase), 16, 16);
    // columns with |j + ½ − 8.5| ≤ 1 → j = 7, 8, 9: three columns of 8 rows erased
    expect(on(m, 16).length).toBe(64 - 8 * 3);
    expect(m[6 * 16 + 8]).toBe(0);
    expect(coverage(rasterizeLayer(layer(square(4, 12), { kind: 'clear' }), 16, 16))).toBe(0);
  });

  it('flood-fills the enclosed region only', () => {
    const ring: MaskOp = { kind: 'stroke', mode: 'add', radius: 0.5 as ImagePx, points: [imagePoint(3.5, 3.5), imagePoint(12.5, 3.5), imagePoint(12.5, 12.5), imagePoint(3.5, 12.5), imagePoint(3.5, 3.5)] };
    const m = rasterizeLayer(layer(ring, { kind: 'fill', at: imagePoint(8, 8) }), 16, 16);
    expect(on(m, 16).length).toBe(100);
    expect(m[0]).toBe(0);
    const all = rasterizeLayer(layer({ kind: 'fill', at: imagePoint(1, 1) }), 16, 4);
    expect(coverage(all)).toBe(1);
  });

  it('counts overlapping pixels and refuses bad resolutions', () => {
    const a = rasterizeLayer(layer(square(0, 8)), 16, 16);
    const b = rasterizeLayer(layer(square(4, 12)), 16, 16);
    expect(overlapCount(a, b)).toBe(16);
    expect(() => rasterizeLayer(layer(), 16, 0)).toThrow(/positive integer, got 0/);
  });
});

describe('stroke rasterisation by row runs', () => {
  /** The per-pixel capsule test the row-run rasteriser replaced: pixel centre within r of segment ab. */
  function referenceStroke(res: number, size: number, radius: number, pts: readonly { x: number; y: number }[]): Uint8Array {
    const out = new Uint8Array(res * res);
    const s = size / res;
    const r = Math.max(radius, s / 2);
    const seq = pts.length === 1 ? [pts[0]!, pts[0]!] : pts;
    for (let k = 0; k + 1 < seq.length; k++) {
      const a = seq[k]!;
      const b = seq[k + 1]!;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len2 = dx * dx + dy * dy;
      for (let i = 0; i < res; i++) {
        for (let j = 0; j < res; j++) {
          const px = (j + 0.5) * s;
          const py = (i + 0.5) * s;
          const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
          const ex = px - (a.x + t * dx);
          const ey = py - (a.y + t * dy);
          if (ex * ex + ey * ey <= r * r) out[i * res + j] = 255;
        }
      }
    }
    return out;
  }

  it('paints exactly the pixels of the per-pixel capsule test (300 seeded strokes, integer and fractional points)', () => {
    const rng = new Rng(11);
    let differ = 0;
    let painted = 0;
    for (let c = 0; c < 300; c++) {
      const res = rng.pick([16, 32, 64]);
      const integer = c % 2 === 0;
      const coord = () => (integer ? rng.int(-20, 140) : rng.uniform() * 160 - 20);
      const pts = Array.from({ length: rng.int(1, 5) }, () => imagePoint(coord(), coord()));
      if (c % 7 === 0 && pts.length > 1) pts[1] = pts[0]!; // zero-length segment
      const radius = integer ? rng.int(1, 40) : rng.uniform() * 40;
      const got = rasterizeLayer({ conceptId: 'c', ops: [{ kind: 'stroke', mode: 'add', radius: radius as ImagePx, points: pts }] }, 128, res);
      const want = referenceStroke(res, 128, radius, pts);
      for (let k = 0; k < want.length; k++) {
        if (got[k] !== want[k]) differ++;
        if (want[k]) painted++;
      }
    }
    expect(painted).toBeGreaterThan(10_000);
    expect(differ).toBe(0);
  });
});
