// Seeded scene sampling for the generated world: 1–3 non-overlapping objects with class, colour, pattern,
// size and position on a named background. Pure: all randomness comes from the Rng argument.
import type { Rng } from '../lib/random';
import { BACKGROUNDS, COLORS, isHeldOut, PATTERNS, SHAPES, SIZES } from './vocab';
import type { BackgroundName, ColorName, PatternName, ShapeClass, SizeName } from './vocab';

/** One object. Centre and radius are in unit image coordinates (0..1, y down). */
export type WorldObject = {
  shape: ShapeClass;
  color: ColorName;
  pattern: PatternName;
  size: SizeName;
  cx: number;
  cy: number;
  radius: number;
  /** rotation in radians (shapes with symmetry look the same for some angles) */
  angle: number;
};

export type Scene = { objects: WorldObject[]; background: BackgroundName };

export type SceneOptions = {
  /** how many objects: fixed number or [min, max] (default [1, 3]) */
  count?: number | [number, number];
  /** exclude HELD_OUT (colour, shape) pairs (default true: training data) */
  excludeHeldOut?: boolean;
  /** force attributes of the first objects (e.g. for evaluation prompts) */
  fixed?: Partial<Pick<WorldObject, 'shape' | 'color' | 'pattern' | 'size'>>[];
  background?: BackgroundName;
};

/** radius in unit coordinates for each size word */
export const SIZE_RADIUS: Record<SizeName, number> = { small: 0.14, large: 0.24 };

/** Samples a scene. Same rng state → same scene. */
export function sampleScene(rng: Rng, options: SceneOptions = {}): Scene {
  const range = options.count ?? [1, 3];
  const n = typeof range === 'number' ? range : rng.int(range[0], range[1]);
  const excludeHeldOut = options.excludeHeldOut ?? true;
  const objects: WorldObject[] = [];
  for (let i = 0; i < n; i++) {
    const fixed = options.fixed?.[i] ?? {};
    let shape: ShapeClass;
    let color: ColorName;
    do {
      shape = fixed.shape ?? rng.pick(SHAPES);
      color = fixed.color ?? rng.pick(COLORS);
    } while (excludeHeldOut && isHeldOut(color, shape) && !(fixed.shape && fixed.color));
    const size = fixed.size ?? (n === 3 ? 'small' : rng.pick(SIZES));
    const pattern = fixed.pattern ?? rng.pick(PATTERNS);
    const radius = SIZE_RADIUS[size] * (0.9 + 0.2 * rng.uniform());
    const [cx, cy] = place(rng, radius, objects);
    objects.push({ shape, color, pattern, size, cx, cy, radius, angle: (rng.uniform() - 0.5) * 0.6 });
  }
  objects.sort((a, b) => a.cx - b.cx);
  const background = options.background ?? pickBackground(rng, objects);
  return { objects, background };
}

/** Rejection-samples a centre that keeps the object inside the image and apart from the others. */
function place(rng: Rng, radius: number, others: WorldObject[]): [number, number] {
  let best: [number, number] = [0.5, 0.5];
  let bestGap = -Infinity;
  for (let attempt = 0; attempt < 60; attempt++) {
    const cx = radius + 0.02 + rng.uniform() * (1 - 2 * radius - 0.04);
    const cy = radius + 0.02 + rng.uniform() * (1 - 2 * radius - 0.04);
    const gap = Math.min(Infinity, ...others.map((o) => Math.hypot(o.cx - cx, o.cy - cy) - o.radius - radius));
    if (gap > 0.02) return [cx, cy];
    if (gap > bestGap) {
      bestGap = gap;
      best = [cx, cy];
    }
  }
  return best;
}

/** A background that contrasts with the objects (white objects avoid sand/sky? no: only avoid equal tones). */
function pickBackground(rng: Rng, objects: WorldObject[]): BackgroundName {
  const clash: Partial<Record<BackgroundName, ColorName[]>> = { night: ['black', 'blue'], sky: ['white'], sand: ['yellow'], grey: [] };
  const ok = BACKGROUNDS.filter((bg) => !objects.some((o) => clash[bg]?.includes(o.color)));
  return rng.pick(ok.length ? ok : BACKGROUNDS);
}
