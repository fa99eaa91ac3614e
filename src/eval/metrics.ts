// The evaluator's own accuracy on labelled scenes (for its card and tests). Per true object: it is found when
// a proposal is owned by it (labels.ts matchProposals), and a head is right when that proposal's argmax equals
// the object's value (a missed object is wrong on every head). Count: m detected = n true objects. Pure maths.
import type { Scene, WorldObject } from '../world/index';
import { argmax } from './alignment';
import type { ImagePrediction } from './alignment';
import { matchProposals } from './labels';

/** Fractions in [0, 1]: heads and `found` over the scored objects, `count` over the images. */
export type HeadAccuracy = { shape: number; color: number; pattern: number; found: number; count: number; objects: number; images: number };

/**
 * Per-head accuracy of `preds[i]` against `scenes[i]`, whose renderer masks are `masks[i]`. Only objects for
 * which `only` holds are scored (default: all); count accuracy is over all images.
 */
export function headAccuracy(preds: readonly ImagePrediction[], scenes: readonly Scene[], masks: readonly (readonly Uint8Array[])[], only: (o: WorldObject) => boolean = () => true): HeadAccuracy {
  if (preds.length !== scenes.length || preds.length !== masks.length || !preds.length) throw new RangeError(`headAccuracy: ${preds.length} predictions for ${scenes.length} scenes and ${masks.length} mask sets`);
  const sums = { shape: 0, color: 0, pattern: 0, found: 0, count: 0, objects: 0 };
  preds.forEach((p, i) => {
    const scene = scenes[i] as Scene;
    const owner = matchProposals(p.objects.map((o) => ({ mask: o.mask, area: o.area, box: o.box })), masks[i] as Uint8Array[]);
    sums.count += p.objects.length === scene.objects.length ? 1 : 0;
    scene.objects.forEach((o, k) => {
      if (!only(o)) return;
      sums.objects++;
      const j = owner.indexOf(k);
      const d = p.objects[j];
      if (!d) return;
      sums.found++;
      sums.shape += argmax(d.shape) === o.shape ? 1 : 0;
      sums.color += argmax(d.color) === o.color ? 1 : 0;
      sums.pattern += argmax(d.pattern) === o.pattern ? 1 : 0;
    });
  });
  const n = Math.max(1, sums.objects);
  return { shape: sums.shape / n, color: sums.color / n, pattern: sums.pattern / n, found: sums.found / n, count: sums.count / preds.length, objects: sums.objects, images: preds.length };
}
