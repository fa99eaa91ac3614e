// calibrationReadout (tools/bench/disentangleScenes.ts): the bench's read-off of what calibration acts on, on planted
// 4×4 maps over an 8 px scene with object 0 in the left half and object 1 in the right half.
import { describe, expect, it } from 'vitest';
import { calibrationReadout } from '../../tools/bench/disentangleScenes';
import type { AttentionSnapshot } from '../../src/train/loop/attentionProbe';

const size = 8;
const half = (left: boolean): Uint8Array => Uint8Array.from({ length: size * size }, (_, p) => ((p % size < size / 2) === left ? 255 : 0));
const masks = [half(true), half(false)];
/** a 4×4 map: `l` on the left two columns, `r` on the right two */
const map = (l: number, r: number): number[] => Array.from({ length: 16 }, (_, p) => (p % 4 < 2 ? l : r));
const snap = (maps: number[][]): AttentionSnapshot => ({ step: 1, size: [4, 4], labels: ['<c1>', '<c2>', 'star', 'heart'], maps: Float32Array.from(maps.flat()) });

describe('calibrationReadout', () => {
  it('reads modifiers on their own objects, bound to class maps that are apart', () => {
    const r = calibrationReadout(snap([map(1, 0), map(0, 1), map(1, 0), map(0, 1)]), masks, size);
    expect(r).toEqual({ modifierOwn: 1, modifierOther: 0, binding: 1, classOwn: 1, classOverlap: 0 });
  });

  it('reads a modifier spread over both objects and class maps that overlap', () => {
    // <c1> uniform: half its weight on each object; IoU(uniform 1, left-half 1) = 8/16; class maps both uniform
    const r = calibrationReadout(snap([map(1, 1), map(0, 1), map(1, 1), map(1, 1)]), masks, size);
    expect(r.modifierOwn).toBeCloseTo((0.5 + 1) / 2, 6);
    expect(r.modifierOther).toBeCloseTo((0.5 + 0) / 2, 6);
    expect(r.binding).toBeCloseTo((1 + 0.5) / 2, 6);
    expect(r.classOwn).toBeCloseTo(0.5, 6);
    expect(r.classOverlap).toBeCloseTo(1, 6);
  });
});
