// The evaluator's own accuracy on labelled scenes (for its card and tests): per head, the fraction of images
// whose predicted set equals the true set (shapes, colours, patterns with p ≥ 0.5; count by argmax), and the
// per-label accuracy over all presence labels. Pure maths; no runtime.
import { COLORS, PATTERNS, SHAPES } from '../world/index';
import type { Scene } from '../world/index';
import { predictedCount } from './alignment';
import type { AttributeProbs } from './alignment';

/** Fractions in [0, 1] over the scored images. */
export type HeadAccuracy = { shape: number; color: number; pattern: number; count: number; presenceLabel: number; images: number };

function setMatches<T extends string>(probs: Record<T, number>, names: readonly T[], truth: Set<T>): { exact: boolean; right: number } {
  let right = 0;
  for (const n of names) if ((probs[n] >= 0.5) === truth.has(n)) right++;
  return { exact: right === names.length, right };
}

/** Per-head accuracy of `probs[i]` against `scenes[i]`. */
export function headAccuracy(probs: readonly AttributeProbs[], scenes: readonly Scene[]): HeadAccuracy {
  if (probs.length !== scenes.length || !probs.length) throw new RangeError(`headAccuracy: ${probs.length} predictions for ${scenes.length} scenes`);
  const sums = { shape: 0, color: 0, pattern: 0, count: 0, labels: 0 };
  probs.forEach((p, i) => {
    const s = scenes[i] as Scene;
    const heads = [
      setMatches(p.shape, SHAPES, new Set(s.objects.map((o) => o.shape))),
      setMatches(p.color, COLORS, new Set(s.objects.map((o) => o.color))),
      setMatches(p.pattern, PATTERNS, new Set(s.objects.map((o) => o.pattern))),
    ] as const;
    sums.shape += heads[0].exact ? 1 : 0;
    sums.color += heads[1].exact ? 1 : 0;
    sums.pattern += heads[2].exact ? 1 : 0;
    sums.labels += heads[0].right + heads[1].right + heads[2].right;
    sums.count += predictedCount(p) === s.objects.length ? 1 : 0;
  });
  const n = probs.length;
  const labels = SHAPES.length + COLORS.length + PATTERNS.length;
  return { shape: sums.shape / n, color: sums.color / n, pattern: sums.pattern / n, count: sums.count / n, presenceLabel: sums.labels / (n * labels), images: n };
}
