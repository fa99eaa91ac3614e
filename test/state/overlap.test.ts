// Overlap scores of the disentanglement view: soft IoU (DisenDiff §2.7 form without smoothing) on hand-computed
// maps, box-averaged masks, and the per-concept / per-pair report against polygon masks.
import { describe, expect, it } from 'vitest';
import { emptyLayer, imagePoint } from '../../src/editor/index';
import type { MaskLayer } from '../../src/editor/index';
import { calibrationCurve, conceptOverlap, maskToGrid, mapIou } from '../../src/state/index';
import type { Concept } from '../../src/state/index';

describe('mapIou', () => {
  it('is Σab / (Σa + Σb − Σab): 1 for equal binary maps, 0 for disjoint, fractional for soft ones', () => {
    expect(mapIou(new Float32Array([1, 1, 0, 0]), new Float32Array([1, 1, 0, 0]))).toBe(1);
    expect(mapIou(new Float32Array([1, 1, 0, 0]), new Float32Array([0, 0, 1, 1]))).toBe(0);
    expect(mapIou(new Float32Array([1, 1, 0, 0]), new Float32Array([1, 0, 0, 0]))).toBeCloseTo(0.5, 12);
    // Σab = 0.25, Σa + Σb = 1.5 → 0.25 / 1.25
    expect(mapIou(new Float32Array([0.5, 0.5, 0, 0]), new Float32Array([0.5, 0, 0, 0]))).toBeCloseTo(0.2, 6);
    expect(mapIou(new Float32Array(4), new Float32Array(4))).toBe(0);
    expect(() => mapIou(new Float32Array(4), new Float32Array(9))).toThrow(/resample/);
  });
});

describe('maskToGrid', () => {
  it('averages 0/255 blocks into [0, 1]', () => {
    const mask = new Uint8Array([255, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255]);
    expect([...maskToGrid(mask, 4, 2, 2)]).toEqual([0.75, 0, 0, 0.5]);
    expect(() => maskToGrid(mask, 4, 3, 3)).toThrow(/multiple/);
  });
});

const rect = (id: string, x0: number, x1: number): MaskLayer => ({
  ...emptyLayer(id),
  ops: [{ kind: 'polygon', mode: 'add', points: [imagePoint(x0, 0), imagePoint(x1, 0), imagePoint(x1, 64), imagePoint(x0, 64)] }],
});

describe('conceptOverlap', () => {
  it('scores each token map against its mask and each pair of maps', () => {
    const concepts: Concept[] = [
      { id: 'c1', token: '<c1>', classWord: 'circle', color: '#ff0000' },
      { id: 'c2', token: '<c2>', classWord: 'square', color: '#0000ff' },
    ];
    // 2×2 maps (row-major): <c1> on the left column, <c2> on the whole top row
    const left = new Float32Array([1, 0, 1, 0]);
    const top = new Float32Array([1, 1, 0, 0]);
    const attention = { step: 3, maps: [{ token: '<c1>', width: 2, height: 2, map: left }, { token: '<c2>', width: 2, height: 2, map: top }, { token: 'circle', width: 2, height: 2, map: top }] };
    const r = conceptOverlap(attention, concepts, { c1: rect('c1', 0, 32), c2: rect('c2', 32, 64) }, 64);
    expect(r.step).toBe(3);
    expect(r.concepts.map((c) => [c.token, [...c.mask]])).toEqual([['<c1>', [1, 0, 1, 0]], ['<c2>', [0, 1, 0, 1]]]);
    expect(r.concepts[0]!.maskIoU).toBe(1);
    expect(r.concepts[1]!.maskIoU).toBeCloseTo(1 / 3, 6);
    expect(r.pairs).toEqual([{ a: '<c1>', b: '<c2>', iou: 1 / 3 }]);
  });
});

describe('calibration curve over attention snapshots', () => {
  const map = (token: string, values: number[]) => ({ token, width: 2, height: 2, map: Float32Array.from(values) });
  it('binds each token to the class map in its own slot (two concepts may share a class word) and averages class overlaps', () => {
    const history = [
      { step: 5, maps: [map('<a>', [1, 0, 0, 0]), map('<b>', [0, 0, 0, 1]), map('star', [1, 1, 0, 0]), map('star', [0, 0, 1, 1])] },
      { step: 10, maps: [map('<a>', [1, 1, 0, 0]), map('<b>', [0, 0, 1, 1]), map('star', [1, 1, 0, 0]), map('star', [0, 0, 1, 1])] },
    ];
    const curve = calibrationCurve(history, [{ token: '<a>', classWord: 'star' }, { token: '<b>', classWord: 'star' }]);
    expect(curve.map((p) => p.step)).toEqual([5, 10]);
    expect(curve[0]?.binding).toEqual([{ token: '<a>', iou: 0.5 }, { token: '<b>', iou: 0.5 }]);
    expect(curve[1]?.binding.map((b) => b.iou)).toEqual([1, 1]);
    expect(curve[1]?.classOverlap).toBe(0);
  });
  it('skips a concept whose class map is missing and has no overlap with one concept', () => {
    const curve = calibrationCurve([{ step: 1, maps: [map('<a>', [1, 0, 0, 0]), map('cat', [1, 0, 0, 0])] }], [{ token: '<a>', classWord: 'dog' }]);
    expect(curve[0]?.binding).toEqual([]);
    expect(curve[0]?.classOverlap).toBeNull();
  });
});
