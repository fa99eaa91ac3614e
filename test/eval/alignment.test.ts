// The scoring definitions of src/eval/alignment.ts and metrics.ts on hand-made predictions (no runtime).
import { describe, expect, it } from 'vitest';
import { headAccuracy, setScoresOf, textAlignmentOf } from '../../src/eval/index';
import type { ImagePrediction, ObjectProbs } from '../../src/eval/index';
import { COLORS, parseCaption, PATTERNS, SHAPES } from '../../src/world/index';
import type { Scene } from '../../src/world/index';

/** A detected object whose argmax values are the named ones (0.9 against 0.02), with a given area and mask. */
function obj(on: string[], area = 100, mask = new Uint8Array(64 * 64)): ObjectProbs {
  const rec = <T extends string>(names: readonly T[]) => Object.fromEntries(names.map((n) => [n, on.includes(n) ? 0.9 : 0.02])) as Record<T, number>;
  return { shape: rec(SHAPES), color: rec(COLORS), pattern: rec(PATTERNS), mask, area, box: [0, 0, 9, 9] };
}
const pred = (...objects: ObjectProbs[]): ImagePrediction => ({ objects });

describe('textAlignmentOf', () => {
  const prompt = parseCaption('a large red striped circle and a small blue square on a grey background');
  it('is 1 when every shape, colour, pattern and the count are shown', () => {
    expect(textAlignmentOf(pred(obj(['circle', 'red', 'striped']), obj(['square', 'blue', 'solid'])), prompt)).toBe(1);
  });
  it('counts each missing attribute once: square, blue, solid and the count (2) missing of 7 → 3/7', () => {
    // attributes: circle, square, red, blue, striped, solid, count = 2
    expect(textAlignmentOf(pred(obj(['circle', 'red', 'striped'])), prompt)).toBeCloseTo(3 / 7, 12);
  });
  it('is 0 for a prompt without world words', () => {
    expect(textAlignmentOf(pred(obj(['circle', 'red', 'solid'])), parseCaption('a photo of a cat'))).toBe(0);
  });
});

describe('setScoresOf', () => {
  it('gives the five issue-5 figures as means of per-image indicators', () => {
    const prompts = ['a red circle', 'a blue star', 'a red circle and a blue square', 'a green heart and a red circle', 'a purple star'].map(parseCaption);
    const preds = [
      pred(obj(['circle', 'red', 'solid'], 300), obj(['star', 'blue', 'solid'], 50)), // single: largest is right
      pred(obj(['circle', 'blue', 'solid'])), // single: colour right, shape wrong
      pred(obj(['square', 'blue', 'solid']), obj(['circle', 'red', 'solid'])), // two: right in swapped order
      pred(obj(['heart', 'red', 'solid']), obj(['circle', 'green', 'solid'])), // two: colours bound to the wrong shapes
      pred(obj(['star', 'purple', 'solid'])), // HELD_OUT pair, right
    ];
    const s = setScoresOf(preds, prompts);
    expect(s.shapeAccuracy).toBeCloseTo(2 / 3, 12);
    expect(s.colorAccuracy).toBeCloseTo(1, 12);
    expect(s.twoObjectAccuracy).toBeCloseTo(1 / 2, 12);
    // HELD_OUT objects: green heart (missed: the heart is red) and purple star (found)
    expect(s.heldOutAccuracy).toBeCloseTo(1 / 2, 12);
    // text: 3/4 (count wrong), 3/4 (star missing), 1, 1 (the bag of attributes is all there), 1
    expect(s.textAlignment).toBeCloseTo((3 / 4 + 3 / 4 + 1 + 1 + 1) / 5, 12);
  });
  it('reports null for kinds of prompt that were not scored and refuses mismatched lengths', () => {
    const s = setScoresOf([pred(obj(['circle', 'red', 'solid']), obj(['square', 'red', 'solid']))], [parseCaption('a red circle and a red square')]);
    expect(s.shapeAccuracy).toBeNull();
    expect(s.heldOutAccuracy).toBeNull();
    expect(s.twoObjectAccuracy).toBe(1);
    expect(() => setScoresOf([], [])).toThrow(/one prompt per image/);
  });
  it('scores an image where nothing was detected as wrong everywhere', () => {
    expect(setScoresOf([pred()], [parseCaption('a red circle')])).toEqual({ textAlignment: 0, shapeAccuracy: 0, colorAccuracy: 0, twoObjectAccuracy: null, heldOutAccuracy: null });
  });
});

describe('headAccuracy', () => {
  it('scores each true object through the proposal that owns it, and the count per image', () => {
    const left = new Uint8Array(64 * 64), right = new Uint8Array(64 * 64);
    for (let y = 10; y < 20; y++) for (let x = 0; x < 10; x++) { left[y * 64 + x] = 1; right[y * 64 + 30 + x] = 1; }
    const cover = (m: Uint8Array) => m.map((v) => v * 255);
    const base = { size: 'small', cx: 0.5, cy: 0.5, radius: 0.1, angle: 0 } as const;
    const scene: Scene = { background: 'grey', objects: [{ ...base, shape: 'star', color: 'red', pattern: 'dotted' }, { ...base, shape: 'heart', color: 'blue', pattern: 'solid' }] };
    const masks = [cover(left), cover(right)];
    const a = headAccuracy(
      [pred(obj(['star', 'red', 'dotted'], 100, left), obj(['heart', 'red', 'solid'], 100, right)), pred(obj(['circle', 'red', 'dotted'], 100, left))],
      [scene, scene], [masks, masks],
    );
    expect(a).toEqual({ shape: 2 / 4, color: 2 / 4, pattern: 3 / 4, found: 3 / 4, count: 1 / 2, objects: 4, images: 2 });
  });
});
