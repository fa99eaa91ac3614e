// Text-alignment scoring from the evaluator's attribute probabilities. Pure maths on numbers; no runtime.
// Definitions (issue 5 item 2; used by `npm run eval:base`):
//   shown(k, v)  ⇔ p_k(v) ≥ 0.5 for k ∈ {shape, colour, pattern};  shown(count, n) ⇔ argmax p_count = n
//   A(P)         = the distinct shapes, colours and patterns of prompt P as parseCaption reads it (an omitted
//                  pattern word means solid, as in the caption grammar), plus its object count n (1 ≤ n ≤ 3)
//   textAlignment(I, P) = |{a ∈ A(P) : shown(a) in I}| / |A(P)|        (0 when A(P) is empty)
// Set scores are means of per-image indicators: shapeAccuracy = every shape of P shown; colorAccuracy = every
// colour of P shown (over prompts naming a colour); twoObjectAccuracy = over 2-object prompts, both shapes,
// both colours shown and count = 2; heldOutAccuracy = over prompts with a HELD_OUT (colour, shape) object, the
// shape and colour of each such object shown. Presence heads do not bind colour to shape (documented limit).
import { COLORS, isHeldOut, PATTERNS, SHAPES } from '../world/index';
import type { ColorName, ParsedCaption, PatternName, ShapeClass } from '../world/index';

/** Per-image evaluator output: presence probabilities per attribute value and the count distribution. */
export type AttributeProbs = {
  shape: Record<ShapeClass, number>;
  color: Record<ColorName, number>;
  pattern: Record<PatternName, number>;
  /** P(1 object), P(2 objects), P(3 objects) */
  count: [number, number, number];
};

/** The five figures of issue 5 (`eval:base`); null where no prompt of that kind was scored. */
export type SetScores = {
  textAlignment: number;
  shapeAccuracy: number;
  colorAccuracy: number | null;
  twoObjectAccuracy: number | null;
  heldOutAccuracy: number | null;
};

const uniq = <T>(xs: (T | undefined)[]): T[] => [...new Set(xs.filter((x): x is T => x !== undefined))];

/** Predicted object count (1..3): argmax of the count head. */
export function predictedCount(p: AttributeProbs): number {
  return p.count.indexOf(Math.max(...p.count)) + 1;
}

function allShown<T extends string>(probs: Record<T, number>, values: T[]): boolean {
  return values.every((v) => probs[v] >= 0.5);
}

/** textAlignment(I, P) as defined in the header, from I's probabilities and the parsed prompt. */
export function textAlignmentOf(p: AttributeProbs, prompt: ParsedCaption): number {
  const shapes = uniq(prompt.objects.map((o) => o.shape));
  const colors = uniq(prompt.objects.map((o) => o.color));
  const patterns = uniq(prompt.objects.map((o) => o.pattern));
  const n = prompt.objects.length;
  const hasCount = n >= 1 && n <= 3;
  const total = shapes.length + colors.length + patterns.length + (hasCount ? 1 : 0);
  if (total === 0) return 0;
  const hits = shapes.filter((s) => p.shape[s] >= 0.5).length
    + colors.filter((c) => p.color[c] >= 0.5).length
    + patterns.filter((q) => p.pattern[q] >= 0.5).length
    + (hasCount && predictedCount(p) === n ? 1 : 0);
  return hits / total;
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The issue-5 set scores for images (as probabilities) paired with parsed prompts. */
export function setScoresOf(probs: readonly AttributeProbs[], prompts: readonly ParsedCaption[]): SetScores {
  if (probs.length !== prompts.length || probs.length === 0) throw new RangeError(`scoreSet: ${probs.length} images for ${prompts.length} prompts; pass one prompt per image (at least one)`);
  const text: number[] = [], shape: number[] = [], color: number[] = [], two: number[] = [], held: number[] = [];
  probs.forEach((p, i) => {
    const q = prompts[i] as ParsedCaption;
    const shapes = uniq(q.objects.map((o) => o.shape));
    const colors = uniq(q.objects.map((o) => o.color));
    text.push(textAlignmentOf(p, q));
    shape.push(allShown(p.shape, shapes) ? 1 : 0);
    if (colors.length) color.push(allShown(p.color, colors) ? 1 : 0);
    if (q.objects.length === 2) two.push(allShown(p.shape, shapes) && allShown(p.color, colors) && predictedCount(p) === 2 ? 1 : 0);
    const heldObjects = q.objects.filter((o) => o.color && isHeldOut(o.color, o.shape));
    if (heldObjects.length) held.push(heldObjects.every((o) => p.shape[o.shape] >= 0.5 && p.color[o.color as ColorName] >= 0.5) ? 1 : 0);
  });
  return { textAlignment: mean(text) ?? 0, shapeAccuracy: mean(shape) ?? 0, colorAccuracy: mean(color), twoObjectAccuracy: mean(two), heldOutAccuracy: mean(held) };
}

/** Probabilities from one row of the evaluator outputs: presence [19] (sigmoid) and count [3] (softmax). */
export function probsFromRow(presence: ArrayLike<number>, count: ArrayLike<number>): AttributeProbs {
  const at = (a: ArrayLike<number>, i: number) => a[i] as number;
  const pick = <T extends string>(names: readonly T[], offset: number) => Object.fromEntries(names.map((n, i) => [n, at(presence, offset + i)])) as Record<T, number>;
  return {
    shape: pick(SHAPES, 0),
    color: pick(COLORS, SHAPES.length),
    pattern: pick(PATTERNS, SHAPES.length + COLORS.length),
    count: [at(count, 0), at(count, 1), at(count, 2)],
  };
}
