// Masks worth drawing on photos: stored regions (run-length), the magic wand on reference pixels, SLIC snap to
// edges (IoU against the true shape on a synthetic photo), soft brush edges and area-averaged coarse grids.
import { describe, expect, it } from 'vitest';
import {
  createTool, decodeRuns, encodeRuns, imagePoint, rasterizeLayer, rasterizeLayerArea, regionOp, slic, snapToEdges, snapToSuperpixels, wandRegion,
} from '../../src/editor/index';
import type { ImagePx, MaskLayer, MaskOp, ToolContext } from '../../src/editor/index';
import { discScene, iou } from '../helpers/discScene';
import { pointer } from '../helpers/pointer';

const layer = (...ops: MaskOp[]): MaskLayer => ({ conceptId: 'c1', ops });

describe('stored regions', () => {
  it('run-length codes a bitmap and decodes it back, starting with an off run', () => {
    const bits = Uint8Array.from([255, 255, 0, 0, 0, 255, 0, 255, 255]);
    const runs = encodeRuns(bits);
    expect(runs).toEqual([0, 2, 3, 1, 1, 2]);
    expect(decodeRuns(runs, 3)).toEqual(bits);
    expect(() => decodeRuns([1, 2], 3)).toThrow(/cover 3 cells, a 3×3 region has 9/);
  });

  it('rasterises a region at any resolution by its nearest cell, adding and erasing', () => {
    const half = new Uint8Array(16).map((_, k) => (k % 4 < 2 ? 255 : 0)); // left half of a 4×4 region
    const add = rasterizeLayer(layer(regionOp(half, 4, 'add')), 64, 8);
    expect(Array.from(add.subarray(0, 8))).toEqual([255, 255, 255, 255, 0, 0, 0, 0]);
    const erased = rasterizeLayer(layer({ kind: 'polygon', mode: 'add', points: [imagePoint(0, 0), imagePoint(64, 0), imagePoint(64, 64), imagePoint(0, 64)] }, regionOp(half, 4, 'erase')), 64, 8);
    expect(Array.from(erased.subarray(8, 16))).toEqual([0, 0, 0, 0, 255, 255, 255, 255]);
  });
});

describe('the magic wand', () => {
  const { pixels, disc } = discScene(128, 60, 66, 30);

  it('selects the 4-connected region within the tolerance of the seed colour', () => {
    const region = wandRegion(pixels, imagePoint(120, 132), 256, 32); // training square 256 px, pixels at 128
    expect(iou(region, disc)).toBe(1);
  });

  it('a tolerance of 0 keeps about the seed; 255 takes the whole square; outside the square selects nothing', () => {
    const tight = wandRegion(pixels, imagePoint(120, 132), 256, 0);
    expect(tight.filter((v) => v !== 0).length).toBeLessThan(40);
    expect(wandRegion(pixels, imagePoint(120, 132), 256, 255).every((v) => v === 255)).toBe(true);
    expect(wandRegion(pixels, imagePoint(-3, 10), 256, 32).every((v) => v === 0)).toBe(true);
  });

  it('is the fill tool when the surface has the reference pixels: one region op in the chosen mode', () => {
    const committed: MaskOp[] = [];
    const ctx: ToolContext = {
      commit: (op) => committed.push(op),
      preview: () => undefined,
      panBy: () => undefined,
      brushRadius: () => 8 as ImagePx,
      wandSource: () => ({ pixels, size: 256 }),
      wandSettings: () => ({ tolerance: 32, mode: 'erase' }),
    };
    const tool = createTool('fill', ctx);
    pointer(() => tool, () => ({ scale: 0.5, offsetX: 0, offsetY: 0 })).down(60, 66).up(60, 66); // image (120, 132)
    expect(tool.path).toBe('fill.idle');
    expect(committed).toHaveLength(1);
    const op = committed[0] as Extract<MaskOp, { kind: 'region' }>;
    expect([op.kind, op.mode, op.side]).toEqual(['region', 'erase', 128]);
    expect(iou(decodeRuns(op.runs, 128), disc)).toBe(1);
  });
});

describe('snap to edges (SLIC superpixels)', () => {
  const { pixels, disc } = discScene(128, 60, 66, 30);
  const labels = slic(pixels);

  it('makes superpixels that are each one connected piece, about as many as asked', () => {
    const k = Math.max(...labels) + 1;
    expect(k).toBeGreaterThan(250);
    expect(k).toBeLessThan(500);
    expect(labels.every((l) => l >= 0)).toBe(true);
  });

  const roughDisc = (x: number, y: number, r: number) => rasterizeLayer(layer({ kind: 'stroke', mode: 'add', radius: r as ImagePx, points: [imagePoint(x, y)] }), 128, 128);

  it('turns an overshooting rough mask into one close to the disc (IoU 0.69 → 0.98)', () => {
    // a rough hand-drawn outline: the disc shifted by (5, −4) px with a radius 6 px too large
    const rough = roughDisc(65, 62, 36);
    const before = iou(rough, disc);
    expect(before).toBeCloseTo(0.69, 2);
    // coverage alone keeps the background superpixels the outline swallowed whole
    expect(iou(snapToSuperpixels(rough, labels), disc)).toBeCloseTo(0.7, 1);
    expect(iou(snapToEdges(rough, pixels, labels), disc)).toBeGreaterThan(0.97);
  });

  it('grows an undershooting rough mask to the disc edge', () => {
    const rough = roughDisc(56, 70, 24);
    const before = iou(rough, disc);
    const after = iou(snapToEdges(rough, pixels, labels), disc);
    expect(before).toBeLessThan(0.65);
    expect(after).toBeGreaterThan(0.87); // 0.89, from 0.64
  });

  it('keeps an empty mask empty and a full one full', () => {
    expect(snapToSuperpixels(new Uint8Array(128 * 128), labels).every((v) => v === 0)).toBe(true);
    expect(snapToSuperpixels(new Uint8Array(128 * 128).fill(255), labels).every((v) => v === 255)).toBe(true);
  });
});

describe('soft brush and coarse grids', () => {
  const dot = (feather: number, mode: 'add' | 'erase' = 'add'): MaskOp => ({ kind: 'stroke', mode, radius: 10 as ImagePx, feather: feather as ImagePx, points: [imagePoint(32, 32)] });
  const at = (m: Uint8Array, x: number, y: number, res = 64) => m[y * res + x]!;

  it('ramps a feathered edge from 255 inside radius − feather to 0 at the radius', () => {
    const m = rasterizeLayer(layer(dot(6)), 64, 64);
    expect(at(m, 32, 32)).toBe(255);
    expect(at(m, 35, 32)).toBe(255); // centre 3.5 px from the dot: inside radius − feather = 4
    expect(at(m, 38, 32)).toBe(Math.round((255 * (10 - Math.hypot(6.5, 0.5))) / 6)); // centre (38.5, 32.5): 6.52 px out
    expect(at(m, 42, 32)).toBe(0);
    const soft = m.filter((v) => v > 0 && v < 255).length;
    expect(soft).toBeGreaterThan(100);
  });

  it('erases softly and leaves hard strokes binary', () => {
    const full = { kind: 'polygon', mode: 'add', points: [imagePoint(0, 0), imagePoint(64, 0), imagePoint(64, 64), imagePoint(0, 64)] } as const;
    const m = rasterizeLayer(layer(full, dot(6, 'erase')), 64, 64);
    expect([at(m, 32, 32), at(m, 38, 32), at(m, 42, 32)]).toEqual([0, 255 - Math.round((255 * (10 - Math.hypot(6.5, 0.5))) / 6), 255]);
    const hard = rasterizeLayer(layer({ kind: 'stroke', mode: 'add', radius: 10 as ImagePx, points: [imagePoint(32, 32)] }), 64, 64);
    expect(hard.every((v) => v === 0 || v === 255)).toBe(true);
  });

  it('area-averages coarse grids: a cell half covered reads about 128, where point sampling says 0 or 255', () => {
    const left = layer({ kind: 'polygon', mode: 'add', points: [imagePoint(0, 0), imagePoint(26, 0), imagePoint(26, 64), imagePoint(0, 64)] });
    const area = rasterizeLayerArea(left, 64, 16);
    expect(Array.from(area.subarray(0, 8))).toEqual([255, 255, 255, 255, 255, 255, 128, 0]);
    const sampled = rasterizeLayer(left, 64, 16);
    expect(sampled[6]).toBe(255);
  });
});
