// Text-alignment scoring from the evaluator's per-object predictions. Pure maths on numbers; no runtime.
// Notation: prompt P (parseCaption) with objects q_1..q_n; detected objects o_1..o_m (proposals, largest first
// in `byArea`), each with its argmax shape, colour and pattern (an omitted prompt pattern means solid).
//   match(o, q)  ⇔ shape(o) = q.shape ∧ (q.color absent ∨ colour(o) = q.color)
//   A(P)         = the distinct shapes, colours and patterns of P plus its object count n
//   textAlignment(I, P) = |{a ∈ A(P) : some o shows a; the count a = n holds iff m = n}| / |A(P)|  (0 if A(P) = ∅)
//   shapeAccuracy / colorAccuracy: over single-object prompts, the largest o has q's shape / colour (m ≥ 1)
//   twoObjectAccuracy: over two-object prompts, m = 2 and the two objects match q_1, q_2 in some order
//   heldOutAccuracy: over prompts with HELD_OUT (colour, shape) objects, distinct detected objects match each
// Set scores are means of these per-image indicators (`npm run eval:base`).
import { isHeldOut } from '../world/index';
import type { ColorName, ParsedCaption, ParsedObject, PatternName, ShapeClass } from '../world/index';

/** One detected object: softmax probabilities per head and its proposal (mask, pixel count, box at 64×64). */
export type ObjectProbs = {
  shape: Record<ShapeClass, number>;
  color: Record<ColorName, number>;
  pattern: Record<PatternName, number>;
  mask: Uint8Array;
  area: number;
  box: [number, number, number, number];
};

/** Per-image evaluator output: the detected objects, ordered left to right by box centre. */
export type ImagePrediction = { objects: ObjectProbs[] };

/** The five figures of `npm run eval:base`; null where no prompt of that kind was scored. */
export type SetScores = {
  textAlignment: number;
  shapeAccuracy: number | null;
  colorAccuracy: number | null;
  twoObjectAccuracy: number | null;
  heldOutAccuracy: number | null;
};

/** The most probable value of a head. */
export function argmax<T extends string>(probs: Record<T, number>): T {
  return (Object.keys(probs) as T[]).reduce((a, b) => (probs[b] > probs[a] ? b : a));
}

/** The shape, colour and pattern each detected object shows (argmax per head). */
export function shownObjects(p: ImagePrediction): { shape: ShapeClass; color: ColorName; pattern: PatternName }[] {
  return p.objects.map((o) => ({ shape: argmax(o.shape), color: argmax(o.color), pattern: argmax(o.pattern) }));
}

function matches(o: { shape: ShapeClass; color: ColorName }, q: ParsedObject): boolean {
  return o.shape === q.shape && (q.color === undefined || o.color === q.color);
}

/** Is there an assignment of distinct detected objects to every prompt object `qs` (n ≤ 3, brute force)? */
export function matchAll(shown: readonly { shape: ShapeClass; color: ColorName }[], qs: readonly ParsedObject[], used: ReadonlySet<number> = new Set()): boolean {
  const [q, ...rest] = qs;
  if (!q) return true;
  return shown.some((o, i) => !used.has(i) && matches(o, q) && matchAll(shown, rest, new Set([...used, i])));
}

const uniq = <T>(xs: (T | undefined)[]): T[] => [...new Set(xs.filter((x): x is T => x !== undefined))];

/** textAlignment(I, P) as defined in the header. */
export function textAlignmentOf(p: ImagePrediction, prompt: ParsedCaption): number {
  const shown = shownObjects(p);
  const wanted = [uniq(prompt.objects.map((o) => o.shape)), uniq(prompt.objects.map((o) => o.color)), uniq(prompt.objects.map((o) => o.pattern))];
  const seen = [new Set(shown.map((o) => o.shape)), new Set(shown.map((o) => o.color)), new Set(shown.map((o) => o.pattern))];
  const n = prompt.objects.length;
  const total = wanted.reduce((a, w) => a + w.length, 0) + (n > 0 ? 1 : 0);
  if (total === 0) return 0;
  const hits = wanted.reduce((a, w, h) => a + w.filter((v) => (seen[h] as Set<string>).has(v as string)).length, 0) + (n > 0 && shown.length === n ? 1 : 0);
  return hits / total;
}

/** The largest detected object, if any. */
function largest(p: ImagePrediction): ObjectProbs | undefined {
  return p.objects.reduce<ObjectProbs | undefined>((a, o) => (!a || o.area > a.area ? o : a), undefined);
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The issue-5 set scores for images (as predictions) paired with parsed prompts. */
export function setScoresOf(preds: readonly ImagePrediction[], prompts: readonly ParsedCaption[]): SetScores {
  if (preds.length !== prompts.length || preds.length === 0) throw new RangeError(`scoreSet: ${preds.length} images for ${prompts.length} prompts; pass one prompt per image (at least one)`);
  const text: number[] = [], shape: number[] = [], color: number[] = [], two: number[] = [], held: number[] = [];
  preds.forEach((p, i) => {
    const q = prompts[i] as ParsedCaption;
    const shown = shownObjects(p);
    text.push(textAlignmentOf(p, q));
    const [only] = q.objects;
    if (q.objects.length === 1 && only) {
      const big = largest(p);
      shape.push(big && argmax(big.shape) === only.shape ? 1 : 0);
      if (only.color) color.push(big && argmax(big.color) === only.color ? 1 : 0);
    }
    if (q.objects.length === 2) two.push(shown.length === 2 && matchAll(shown, q.objects) ? 1 : 0);
    const heldObjects = q.objects.filter((o) => o.color && isHeldOut(o.color, o.shape));
    if (heldObjects.length) held.push(matchAll(shown, heldObjects) ? 1 : 0);
  });
  return { textAlignment: mean(text) ?? 0, shapeAccuracy: mean(shape), colorAccuracy: mean(color), twoObjectAccuracy: mean(two), heldOutAccuracy: mean(held) };
}
