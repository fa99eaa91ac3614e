// The scoring definitions of src/eval/alignment.ts and metrics.ts on hand-made probabilities (no runtime).
import { describe, expect, it } from 'vitest';
import { headAccuracy, setScoresOf, textAlignmentOf } from '../../src/eval/index';
import type { AttributeProbs } from '../../src/eval/index';
import { COLORS, parseCaption, PATTERNS, SHAPES } from '../../src/world/index';
import type { Scene } from '../../src/world/index';

/** Probabilities with exactly the named values at 0.9 (others 0.1) and a confident count. */
function probs(on: string[], count: 1 | 2 | 3): AttributeProbs {
  const rec = <T extends string>(names: readonly T[]) => Object.fromEntries(names.map((n) => [n, on.includes(n) ? 0.9 : 0.1])) as Record<T, number>;
  const c: [number, number, number] = [0.1, 0.1, 0.1];
  c[count - 1] = 0.8;
  return { shape: rec(SHAPES), color: rec(COLORS), pattern: rec(PATTERNS), count: c };
}

describe('textAlignmentOf', () => {
  const prompt = parseCaption('a large red striped circle and a small blue square on a grey background');
  it('is 1 when every shape, colour, pattern and the count are shown', () => {
    expect(textAlignmentOf(probs(['circle', 'square', 'red', 'blue', 'striped', 'solid'], 2), prompt)).toBe(1);
  });
  it('counts each missing attribute once: square, blue and the count (2) missing of 7 → 4/7', () => {
    // attributes: circle, square, red, blue, striped, solid, count = 2
    expect(textAlignmentOf(probs(['circle', 'red', 'striped', 'solid'], 1), prompt)).toBeCloseTo(4 / 7, 12);
  });
  it('is 0 for a prompt without world words', () => {
    expect(textAlignmentOf(probs(['circle'], 1), parseCaption('a photo of a cat'))).toBe(0);
  });
});

describe('setScoresOf', () => {
  it('gives the five issue-5 figures as means of per-image indicators', () => {
    const prompts = ['a red circle and a blue square', 'a purple star', 'a green heart and a red circle'].map(parseCaption);
    const p = [probs(['red', 'circle', 'blue', 'square', 'solid'], 2), probs(['purple', 'circle', 'solid'], 1), probs(['green', 'heart', 'circle', 'solid'], 2)];
    const s = setScoresOf(p, prompts);
    expect(s.shapeAccuracy).toBeCloseTo(2 / 3, 12);
    expect(s.colorAccuracy).toBeCloseTo(2 / 3, 12);
    expect(s.twoObjectAccuracy).toBeCloseTo(1 / 2, 12);
    expect(s.heldOutAccuracy).toBeCloseTo(1 / 2, 12);
    expect(s.textAlignment).toBeCloseTo((1 + 3 / 4 + 5 / 6) / 3, 12);
  });
  it('reports null for kinds of prompt that were not scored and refuses mismatched lengths', () => {
    const s = setScoresOf([probs(['red', 'circle', 'solid'], 1)], [parseCaption('a red circle')]);
    expect(s.twoObjectAccuracy).toBeNull();
    expect(s.heldOutAccuracy).toBeNull();
    expect(() => setScoresOf([], [])).toThrow(/one prompt per image/);
  });
});

describe('headAccuracy', () => {
  it('scores exact predicted sets per head and the per-label rate', () => {
    const obj = { size: 'small', cx: 0.5, cy: 0.5, radius: 0.1, angle: 0 } as const;
    const scene: Scene = { background: 'grey', objects: [{ ...obj, shape: 'star', color: 'red', pattern: 'dotted' }, { ...obj, shape: 'heart', color: 'red', pattern: 'solid' }] };
    const a = headAccuracy([probs(['star', 'heart', 'red', 'dotted', 'blue'], 2), probs(['star', 'red', 'dotted', 'solid'], 1)], [scene, scene]);
    expect(a).toEqual({ shape: 0.5, color: 0.5, pattern: 0.5, count: 0.5, presenceLabel: (17 + 18) / 38, images: 2 });
  });
});
