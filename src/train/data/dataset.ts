// The personalization dataset: the target image (with its concept masks as extra channels) mixed ~50/50 with
// regularisation images, as DisenDiff's `MaskBase` mixes 200 regularisation and 200 target indices
// (docs/disendiff.md §2.3; we use an exact half per epoch, shuffled). Random access: sample i is a pure function of
// (seed, i), so a resumed run sees the same data. Union sampling of concept subsets (Break-A-Scene §5) optional,
// and with it subset isolation (isolate.ts: the concepts a caption leaves out are erased from that view).
import { ConfigError } from '../../lib/errors';
import { Rng } from '../../lib/random';
import type { Tokenizer } from '../../diffusion/index';
import { augment } from './augment';
import type { AugmentOptions, ScaleBranch } from './augment';
import { DISENDIFF_CAPTIONS, targetCaption, tokenizeCaption } from './captions';
import type { CaptionStyle, ConceptWords, TokenizedCaption } from './captions';
import { centerSquare, checkImage } from './image';
import { isolateConcepts } from './isolate';
import type { PlanarImage } from './image';

/** A regularisation image (RGB planar, any square size) and its caption (the class prompt when generated). */
export type RegularisationImage = { image: PlanarImage; caption: string };

export type DatasetOptions = {
  /** [3 + n, H, W]: RGB in [-1, 1], then one [0, 1] mask channel per concept (or just 3 channels: no masks) */
  target: PlanarImage;
  concepts: readonly ConceptWords[];
  regularisation: readonly RegularisationImage[];
  tokenizer: Tokenizer;
  resolution: number;
  latentFactor: number;
  seed: number;
  /** draw a random non-empty subset of concepts per target sample (Break-A-Scene union sampling) */
  isUnionSampling: boolean;
  /** erase the concepts a union-sampled caption leaves out (isolate.ts); needs masks and union sampling */
  isIsolatingSubsets?: boolean;
  /** caption grammar (default DISENDIFF_CAPTIONS; captionStyleFor(tokenizer) picks the model's) */
  captions?: CaptionStyle;
};

export type TrainingSample = {
  kind: 'target' | 'regularisation';
  /** index of the regularisation image, -1 for the target */
  sourceIndex: number;
  /** [3, R, R] RGB in [-1, 1] */
  pixels: Float32Array;
  /** [n, R, R] concept masks after the same geometry (zeros for regularisation samples or absent masks) */
  conceptMasks: Float32Array;
  /** [R/f, R/f] */
  lossMask: Float32Array;
  /** [R, R] the region where left-out concepts were erased (isolate.ts; all zeros when nothing was), 0..1 */
  erased: Float32Array;
  caption: TokenizedCaption;
  /** per concept: is it in this caption */
  present: boolean[];
  branch: ScaleBranch;
  isFlipped: boolean;
};

/** 32-bit mix of integers (splitmix-style), for per-sample seeds. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

function shuffled(n: number, rng: Rng): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

export class PersonalizationDataset {
  private readonly target: PlanarImage;
  private readonly masks: number;
  /** per subset (bit i = concept i kept): the isolated target, RGB + masks + the erased region as a last channel */
  private readonly isolated = new Map<number, PlanarImage>();

  constructor(private readonly o: DatasetOptions) {
    checkImage(o.target, 'target image');
    if (o.concepts.length === 0) throw new ConfigError('dataset: no concepts; add at least one "<token>=class" concept');
    this.masks = o.target.channels - 3;
    if (this.masks !== 0 && this.masks !== o.concepts.length) {
      throw new ConfigError(`dataset: target has ${this.masks} mask channel(s) for ${o.concepts.length} concept(s); give one mask per concept or none`);
    }
    this.target = centerSquare(o.target);
  }

  /** Samples per epoch: half regularisation, half target (all target when there are no regularisation images). */
  get epochLength(): number {
    return Math.max(2 * this.o.regularisation.length, 1);
  }

  /** Whether global sample index i is a target or a regularisation sample (seeded epoch permutation). */
  kindOf(index: number): { kind: 'target' | 'regularisation'; regIndex: number } {
    const n = this.o.regularisation.length;
    if (n === 0) return { kind: 'target', regIndex: -1 };
    const epoch = Math.floor(index / this.epochLength);
    const slot = shuffled(this.epochLength, new Rng(mixSeed(this.o.seed, 0x5eed, epoch)))[index % this.epochLength] as number;
    return slot < n ? { kind: 'regularisation', regIndex: slot } : { kind: 'target', regIndex: -1 };
  }

  /** Sample `index` (≥ 0): deterministic for a given seed. */
  sample(index: number): TrainingSample {
    const rng = new Rng(mixSeed(this.o.seed, index));
    const { kind, regIndex } = this.kindOf(index);
    const base: AugmentOptions = { resolution: this.o.resolution, latentFactor: this.o.latentFactor, isScaleAugmented: kind === 'target', flipProbability: 0.5 };
    const n = this.o.concepts.length;
    const r2 = this.o.resolution ** 2;
    if (kind === 'regularisation') {
      const reg = this.o.regularisation[regIndex] as RegularisationImage;
      const a = augment(centerSquare(reg.image), rng, base);
      const caption = tokenizeCaption(this.o.tokenizer, reg.caption, this.o.concepts);
      return { kind, sourceIndex: regIndex, pixels: a.image.data.slice(0, 3 * r2), conceptMasks: new Float32Array(n * r2), lossMask: a.lossMask, erased: new Float32Array(r2), caption, present: this.o.concepts.map(() => false), branch: a.branch, isFlipped: a.isFlipped };
    }
    // the subset is drawn after the view's geometry, so an isolated view replays the geometry on the isolated target
    const geometry = rng.clone();
    let a = augment(this.target, rng, base);
    const present = this.o.isUnionSampling ? this.drawSubset(rng) : this.o.concepts.map(() => true);
    const isIsolated = Boolean(this.o.isIsolatingSubsets && this.o.isUnionSampling && this.masks) && !present.every(Boolean);
    if (isIsolated) a = augment(this.isolatedTarget(present), geometry, base);
    const caption = tokenizeCaption(this.o.tokenizer, targetCaption(this.o.concepts, a.prefix, present, this.o.captions ?? DISENDIFF_CAPTIONS), this.o.concepts);
    const conceptMasks = this.masks ? a.image.data.slice(3 * r2, (3 + n) * r2) : new Float32Array(n * r2);
    const erased = isIsolated ? a.image.data.slice((3 + n) * r2, (4 + n) * r2) : new Float32Array(r2);
    return { kind, sourceIndex: -1, pixels: a.image.data.slice(0, 3 * r2), conceptMasks, lossMask: a.lossMask, erased, caption, present, branch: a.branch, isFlipped: a.isFlipped };
  }

  /** The centre-square target with the concepts outside `keep` erased, the erased region appended as a channel. */
  private isolatedTarget(keep: readonly boolean[]): PlanarImage {
    const key = keep.reduce((k, on, i) => k | (on ? 1 << i : 0), 0);
    let out = this.isolated.get(key);
    if (!out) {
      const iso = isolateConcepts(this.target, keep);
      const data = new Float32Array(iso.image.data.length + iso.erased.length);
      data.set(iso.image.data);
      data.set(iso.erased, iso.image.data.length);
      out = { ...iso.image, channels: iso.image.channels + 1, data };
      this.isolated.set(key, out);
    }
    return out;
  }

  /** k ~ U{1..n}, then a uniformly random k-subset (Break-A-Scene `DreamBoothDataset`). */
  private drawSubset(rng: Rng): boolean[] {
    const n = this.o.concepts.length;
    const k = rng.int(1, n);
    const chosen = new Set(shuffled(n, rng).slice(0, k));
    return this.o.concepts.map((_, i) => chosen.has(i));
  }
}
