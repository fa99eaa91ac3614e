// Disentanglement scores of personalized generations (`npm run bench:disentangle`): image alignment per concept,
// text alignment and LEAKAGE, from per-image evaluator figures. Pure arithmetic on numbers; the benchmark
// (tools/bench/disentangle.ts) runs the evaluator. Notation, for a scene with concepts k = 1..n:
//   A(I, R)      similarity of generated image I to reference R (evaluator embedding cosine, best object of I)
//   ref_k        the reference object k; ctrl_k the same object (shape, size, place) in a control colour and
//                pattern that no concept of the scene has
//   D(i, j)      concept j's colour and pattern, each only where it differs from concept i's
//   shown(I)     the colours and patterns the evaluator detects on the objects of I (argmax per object)
// Over images I prompted with ONLY concept i (single prompts) and every j ≠ i:
//   imageAlignment_i    = mean A(I, ref_i)
//   similarityLeakage   = mean [A(I, ref_j) − A(I, ctrl_j)]   (j's real appearance vs a neutral one; 0 = none)
//   attributeLeakage    = mean |D(i, j) ∩ shown(I)| / |D(i, j)|   (images where D(i, j) is empty are skipped)
//   ownSimilarity / ownAttribute: the same with j := i (how much of the prompted concept's own appearance shows;
//   leakage is only meaningful next to it)
// Combined prompts (all concepts): imageAlignmentCombined = mean over I and k of A(I, ref_k). Text alignment is
// the evaluator's score against the prompt's class words and object count (modifiers removed, as in §4.1).

/** A concept's appearance in its reference image. */
export type Appearance = { color: string; pattern: string };

/** The colours and patterns the evaluator detects in one generated image. */
export type ShownAppearance = { colors: ReadonlySet<string>; patterns: ReadonlySet<string> };

/** One image generated from a prompt naming only concept `concept` of scene `scene`. */
export type SingleConceptImage = {
  scene: number;
  concept: number;
  /** A(I, ref_k), index k = concept */
  refSimilarity: readonly number[];
  /** A(I, ctrl_k), index k = concept */
  controlSimilarity: readonly number[];
  shown: ShownAppearance;
  textAlignment: number;
};

/** One image generated from the combined prompt of scene `scene`. */
export type CombinedImage = { scene: number; refSimilarity: readonly number[]; textAlignment: number };

export type DisentanglementScores = {
  /** mean A(I, ref_i) per concept index i (over scenes), their mean, and the combined-prompt figure */
  imageAlignment: { perConcept: (number | null)[]; single: number | null; combined: number | null };
  textAlignment: { single: number | null; combined: number | null };
  leakage: { similarity: number | null; attribute: number | null };
  own: { similarity: number | null; attribute: number | null };
  images: { single: number; combined: number };
};

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** D(i, j): j's colour and pattern where they differ from i's. */
export function distinguishing(i: Appearance, j: Appearance): { colors: string[]; patterns: string[] } {
  return { colors: i.color === j.color ? [] : [j.color], patterns: i.pattern === j.pattern ? [] : [j.pattern] };
}

/** |d ∩ shown| / |d| for an attribute set d (D(i, j), or a concept's own colour and pattern); undefined when d is empty. */
export function attributeShare(shown: ShownAppearance, d: { colors: readonly string[]; patterns: readonly string[] }): number | undefined {
  const total = d.colors.length + d.patterns.length;
  if (total === 0) return undefined;
  return (d.colors.filter((c) => shown.colors.has(c)).length + d.patterns.filter((p) => shown.patterns.has(p)).length) / total;
}

function at(xs: readonly number[], k: number, what: string): number {
  const v = xs[k];
  if (v === undefined) throw new RangeError(`disentanglement: ${what} has no entry for concept ${k} (length ${xs.length})`);
  return v;
}

/**
 * Scores one variant.
 * @param appearances per scene, the concepts' appearances (index = concept)
 * @throws RangeError when an image names a scene or concept that `appearances` lacks
 */
export function scoreDisentanglement(appearances: readonly (readonly Appearance[])[], single: readonly SingleConceptImage[], combined: readonly CombinedImage[]): DisentanglementScores {
  const n = Math.max(0, ...appearances.map((a) => a.length));
  const perConcept: number[][] = Array.from({ length: n }, () => []);
  const leakSim: number[] = [], leakAttr: number[] = [], ownSim: number[] = [], ownAttr: number[] = [];
  for (const img of single) {
    const concepts = appearances[img.scene];
    const self = concepts?.[img.concept];
    if (!concepts || !self) throw new RangeError(`disentanglement: image of scene ${img.scene} concept ${img.concept}, but that scene has ${concepts?.length ?? 0} concepts`);
    const own = at(img.refSimilarity, img.concept, 'refSimilarity');
    perConcept[img.concept]?.push(own);
    ownSim.push(own - at(img.controlSimilarity, img.concept, 'controlSimilarity'));
    const o = attributeShare(img.shown, { colors: [self.color], patterns: [self.pattern] });
    if (o !== undefined) ownAttr.push(o);
    concepts.forEach((other, j) => {
      if (j === img.concept) return;
      leakSim.push(at(img.refSimilarity, j, 'refSimilarity') - at(img.controlSimilarity, j, 'controlSimilarity'));
      const share = attributeShare(img.shown, distinguishing(self, other));
      if (share !== undefined) leakAttr.push(share);
    });
  }
  const concept = perConcept.map(mean);
  return {
    imageAlignment: { perConcept: concept, single: mean(single.map((i) => at(i.refSimilarity, i.concept, 'refSimilarity'))), combined: mean(combined.flatMap((c) => [...c.refSimilarity])) },
    textAlignment: { single: mean(single.map((i) => i.textAlignment)), combined: mean(combined.map((c) => c.textAlignment)) },
    leakage: { similarity: mean(leakSim), attribute: mean(leakAttr) },
    own: { similarity: mean(ownSim), attribute: mean(ownAttr) },
    images: { single: single.length, combined: combined.length },
  };
}

/** One figure of one variant on one (seed, scene) cell of bench:disentangle. */
export type Cell = { seed: number; scene: number; value: number };

/** A paired comparison of two variants on the cells both have. */
export type PairedComparison = {
  /** cells in both variants */
  cells: number;
  /** scenes those cells cover (the bootstrap's clusters) */
  scenes: number;
  meanA: number;
  meanB: number;
  /** mean of value_A − value_B over the shared cells */
  difference: number;
  /** 95% percentile interval of the difference under the cluster bootstrap (2.5% and 97.5% quantiles) */
  interval: [number, number];
};

/**
 * A − B paired by (seed, scene), with a 95% cluster-bootstrap interval: resample the scenes with replacement
 * (`iterations` draws from a seeded Rng-like `uniform`), keeping every seed of a drawn scene, since one scene's
 * seeds share its reference image and are not independent. Percentile interval (Efron & Tibshirani §13.3).
 * @returns undefined when no cell is shared
 */
export function pairedComparison(a: readonly Cell[], b: readonly Cell[], uniform: () => number, iterations = 2000): PairedComparison | undefined {
  const key = (c: Cell): string => `${c.seed}:${c.scene}`;
  const bOf = new Map(b.map((c) => [key(c), c.value]));
  const pairs = a.filter((c) => bOf.has(key(c))).map((c) => ({ scene: c.scene, a: c.value, b: bOf.get(key(c)) as number }));
  if (!pairs.length) return undefined;
  const byScene = new Map<number, number[]>();
  for (const p of pairs) byScene.set(p.scene, [...(byScene.get(p.scene) ?? []), p.a - p.b]);
  const clusters = [...byScene.values()];
  const stats: number[] = [];
  for (let it = 0; it < iterations; it++) {
    let sum = 0, count = 0;
    for (let k = 0; k < clusters.length; k++) {
      const c = clusters[Math.min(clusters.length - 1, Math.floor(uniform() * clusters.length))] as number[];
      for (const d of c) { sum += d; count++; }
    }
    stats.push(sum / count);
  }
  stats.sort((x, y) => x - y);
  const q = (p: number): number => stats[Math.min(stats.length - 1, Math.max(0, Math.round(p * (stats.length - 1))))] as number;
  // pairs is non-empty here, so every mean is a number
  return { cells: pairs.length, scenes: clusters.length, meanA: mean(pairs.map((p) => p.a)) as number, meanB: mean(pairs.map((p) => p.b)) as number, difference: mean(pairs.map((p) => p.a - p.b)) as number, interval: [q(0.025), q(0.975)] };
}

/**
 * PIXEL SHARES, a segmentation-free leakage figure for scenes rendered with known masks (added 2026-11-28: the
 * evaluator merges touching objects into one detection, so `attributeLeakage` misses a second object drawn next
 * to the prompted one; contact sheets show it). The reference palette is every reference pixel wholly inside one
 * object (coverage ≥ 250/255, the topmost object where several are: later objects are drawn on top) or wholly
 * background (coverage 0 for all), labelled by that object k or −1; a generated pixel takes the label of its
 * nearest palette colour (squared RGB distance; ties: the first colour in reference raster order).
 *   share_k(I) = |pixels of I labelled k| / |pixels of I|
 * Over images prompted with only concept i, for j ≠ i: pixelLeakage = mean share_j, pixelOwn = mean share_i.
 */
export type Palette = { colors: Int32Array; labels: Int8Array };

/** The labelled palette of a reference rendering ([size²·4] RGBA) with per-object coverage masks (0..255). */
export function referencePalette(rgba: ArrayLike<number>, masks: readonly ArrayLike<number>[]): Palette {
  const seen = new Map<number, number>();
  const n = rgba.length / 4;
  for (let p = 0; p < n; p++) {
    let label = -1;
    let isMixed = false;
    masks.forEach((m, k) => {
      const v = m[p] as number;
      if (v >= 250) label = k;
      else if (v > 0) isMixed = true;
    });
    if (isMixed && label === -1) continue;
    const key = ((rgba[p * 4] as number) << 16) | ((rgba[p * 4 + 1] as number) << 8) | (rgba[p * 4 + 2] as number);
    if (!seen.has(key)) seen.set(key, label);
  }
  return { colors: Int32Array.from(seen.keys()), labels: Int8Array.from(seen.values()) };
}

/** share_k(I) for k = 0..objects−1 of an RGBA image against `palette` (see above). */
export function pixelShares(palette: Palette, rgba: ArrayLike<number>, objects: number): number[] {
  const counts = new Array<number>(objects).fill(0);
  const cache = new Map<number, number>();
  const n = rgba.length / 4;
  for (let p = 0; p < n; p++) {
    const r = rgba[p * 4] as number, g = rgba[p * 4 + 1] as number, b = rgba[p * 4 + 2] as number;
    const key = (r << 16) | (g << 8) | b;
    let label = cache.get(key);
    if (label === undefined) {
      let best = Infinity;
      label = -1;
      for (let c = 0; c < palette.colors.length; c++) {
        const v = palette.colors[c] as number;
        const d = (r - (v >> 16)) ** 2 + (g - ((v >> 8) & 255)) ** 2 + (b - (v & 255)) ** 2;
        if (d < best) { best = d; label = palette.labels[c] as number; }
      }
      cache.set(key, label);
    }
    if (label >= 0) counts[label] = (counts[label] as number) + 1;
  }
  return counts.map((c) => c / n);
}

/** An image of one concept alone and its pixel shares (index k = concept k). */
export type PixelShareImage = { concept: number; shares: readonly number[] };

/** Own and other shares summing below this: an empty image (nothing of any concept drawn). */
export const EMPTY_SHARE = 0.01;

/** pixelLeakage (mean share_j, j ≠ i), pixelOwn (mean share_i) and the count of empty images; NaN without images. */
export function pixelFigures(images: readonly PixelShareImage[]): { leakage: number; own: number; empty: number } {
  const leak: number[] = [];
  const own: number[] = [];
  let empty = 0;
  for (const img of images) {
    const self = img.shares[img.concept] as number;
    const others = img.shares.filter((_, j) => j !== img.concept);
    own.push(self);
    leak.push(...others);
    if (self + others.reduce((a, x) => a + x, 0) < EMPTY_SHARE) empty++;
  }
  return { leakage: mean(leak) ?? NaN, own: mean(own) ?? NaN, empty };
}
