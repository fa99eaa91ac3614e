// Scale augmentation (docs/disendiff.md §2.3): branch ranges, loss mask of the pasted square, caption prefixes, flips,
// and determinism per seed; captions with token positions; the 50/50 dataset mix.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { ClipBpeTokenizer, WordTokenizer } from '../../../src/diffusion/index';
import { baseVocab } from '../../../src/train/base/config';
import { tinyClipVocab, TINY_MERGES } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { augment, branchOf, drawScale, SCALE_PREFIXES } from '../../../src/train/data/augment';
import type { Augmented } from '../../../src/train/data/augment';
import { captionStyleFor, classPrompt, DISENDIFF_CAPTIONS, targetCaption, tokenizeCaption, WORLD_CAPTIONS } from '../../../src/train/data/captions';
import { PersonalizationDataset } from '../../../src/train/data/dataset';
import { flipHorizontal, resizeSquare } from '../../../src/train/data/image';
import type { PlanarImage } from '../../../src/train/data/image';

const R = 64;
const F = 8;
const opts = { resolution: R, latentFactor: F, isScaleAugmented: true, flipProbability: 0.5 };

function ones(size: number, channels = 1): PlanarImage {
  return { width: size, height: size, channels, data: new Float32Array(channels * size * size).fill(1) };
}

function firstSeed(pred: (a: Augmented) => boolean, img: PlanarImage = ones(32)): { seed: number; a: Augmented } {
  for (let seed = 0; seed < 500; seed++) {
    const a = augment(img, new Rng(seed), opts);
    if (pred(a)) return { seed, a };
  }
  throw new Error('no seed found');
}

function tokenizer(): ClipBpeTokenizer {
  const v = tinyClipVocab(TINY_MERGES);
  const tok = new ClipBpeTokenizer(v.vocabJson, v.mergesTxt, { maxLength: 20 });
  tok.addTokens(['<cat1>', '<dog1>']);
  return tok;
}

describe('drawScale', () => {
  it('stays in ⌊R/3⌋..R or ⌊1.2R⌋..⌊1.4R⌋ and is even, with about 2/3 in the first range', () => {
    const rng = new Rng(3);
    let low = 0;
    for (let i = 0; i < 3000; i++) {
      const s = drawScale(rng, 512);
      expect(s % 2).toBe(0);
      const isLow = s >= 170 && s <= 512;
      expect(isLow || (s >= 614 && s <= 716)).toBe(true);
      if (isLow) low++;
    }
    expect(low / 3000).toBeGreaterThan(0.63);
    expect(low / 3000).toBeLessThan(0.70);
  });

  it('names the branch by the 0.6·R and R thresholds', () => {
    expect(branchOf(306, 512)).toBe('small');
    expect(branchOf(308, 512)).toBe('plain');
    expect(branchOf(512, 512)).toBe('plain');
    expect(branchOf(614, 512)).toBe('large');
  });
});

describe('when the drawn scale is small', () => {
  it('pastes the image on zeros and masks the pasted square shrunk by one latent pixel per side', () => {
    const { a } = firstSeed((x) => x.branch === 'small');
    expect(SCALE_PREFIXES.small).toContain(a.prefix);
    let top = R;
    let left = R;
    for (let y = 0; y < R; y++) for (let x = 0; x < R; x++) if ((a.image.data[y * R + x] as number) > 0.5) { top = Math.min(top, y); left = Math.min(left, x); }
    const n = R / F;
    const y0 = Math.floor(top / F) + 1;
    const y1 = Math.floor((top + a.scale) / F) - 1;
    const x0 = Math.floor(left / F) + 1;
    const x1 = Math.floor((left + a.scale) / F) - 1;
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      expect(a.lossMask[y * n + x]).toBe(y >= y0 && y < y1 && x >= x0 && x < x1 ? 1 : 0);
    }
    const painted = a.image.data.reduce((s, v) => s + v, 0);
    expect(painted).toBeCloseTo(a.scale * a.scale, 3);
  });
});

describe('when the drawn scale is large or plain', () => {
  it('zooms in with a "zoomed in"/"close up" prefix and an all-ones mask', () => {
    const { a } = firstSeed((x) => x.branch === 'large');
    expect(SCALE_PREFIXES.large).toContain(a.prefix);
    expect(a.lossMask.every((v) => v === 1)).toBe(true);
    expect(a.image.width).toBe(R);
  });

  it('resizes plainly without a prefix; a non-augmented view never gets a prefix', () => {
    const { a } = firstSeed((x) => x.branch === 'plain');
    expect(a.prefix).toBe('');
    const reg = augment(ones(32), new Rng(1), { ...opts, isScaleAugmented: false });
    expect([reg.prefix, reg.branch, reg.scale]).toEqual(['', 'plain', R]);
  });
});

describe('determinism and flips', () => {
  const ramp: PlanarImage = { width: 16, height: 16, channels: 2, data: Float32Array.from({ length: 512 }, (_, i) => (i % 16) / 16) };

  it('gives identical views for the same seed and different ones across seeds', () => {
    const a = augment(ramp, new Rng(7), opts);
    const b = augment(ramp, new Rng(7), opts);
    expect(Array.from(b.image.data)).toEqual(Array.from(a.image.data));
    expect([b.prefix, b.scale, b.isFlipped]).toEqual([a.prefix, a.scale, a.isFlipped]);
    const scales = new Set([0, 1, 2, 3, 4, 5].map((s) => augment(ramp, new Rng(s), opts).scale));
    expect(scales.size).toBeGreaterThan(1);
  });

  it('flips image and mask channels together when the flip is drawn', () => {
    const { a } = firstSeed((x) => x.isFlipped && x.branch === 'plain', ramp);
    const expected = resizeSquare(flipHorizontal(ramp), R);
    expect(Array.from(a.image.data)).toEqual(Array.from(expected.data));
  });
});

describe('captions', () => {
  it('builds "photo of a <cat1> cat and <dog1> dog" with the prefix first and finds modifier/class positions', () => {
    const tok = tokenizer();
    const concepts = [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }];
    const text = targetCaption(concepts, 'very small ');
    expect(text).toBe('very small photo of a <cat1> cat and <dog1> dog');
    const c = tokenizeCaption(tok, text, concepts);
    expect(c.ids[c.modifierPositions[0] as number]).toBe(tok.tokenToId('<cat1>'));
    expect(c.classPositions).toEqual(c.modifierPositions.map((p) => p + 1));
    expect(c.ids[c.classPositions[1] as number]).toBe(tok.tokenToId('dog</w>'));
    expect(classPrompt(concepts)).toBe('a cat and a dog');
    const only = tokenizeCaption(tok, targetCaption(concepts, '', [false, true]), concepts);
    expect(only.modifierPositions[0]).toBe(-1);
  });

  it('writes the world grammar for a closed-vocabulary model: no <unk>, modifier in the colour slot, no prefix', () => {
    const tok = new WordTokenizer(baseVocab(), { maxLength: 32 });
    tok.addTokens(['<c1>', '<c2>']);
    expect(captionStyleFor(tok)).toBe(WORLD_CAPTIONS);
    expect(captionStyleFor(tokenizer())).toBe(DISENDIFF_CAPTIONS);
    const concepts = [{ token: '<c1>', classWord: 'star' }, { token: '<c2>', classWord: 'square' }];
    const text = targetCaption(concepts, 'very small ', undefined, WORLD_CAPTIONS);
    expect(text).toBe('a large <c1> star and a large <c2> square on a grey background');
    const c = tokenizeCaption(tok, text, concepts);
    expect(tok.encode(text).warnings).toEqual([]);
    expect(c.modifierPositions).toEqual([3, 8]);
    expect(c.ids[c.classPositions[1] as number]).toBe(tok.tokenToId('square'));
    expect(targetCaption(concepts, '', [true, false], WORLD_CAPTIONS)).toBe('a large <c1> star on a grey background');
    expect(classPrompt(concepts, WORLD_CAPTIONS)).toBe('a large star and a large square on a grey background');
    // DisenDiff's own template would reach this model as <unk> words
    expect(tok.encode(targetCaption(concepts, 'very small ')).warnings.join(' ')).toContain('"photo", "of"');
  });

  it('refuses a modifier that is not followed by its one-token class word', () => {
    const tok = tokenizer();
    expect(() => tokenizeCaption(tok, 'photo of a <cat1> dog', [{ token: '<cat1>', classWord: 'cat' }])).toThrow(/class word after "<cat1>"/);
  });
});

describe('the personalization dataset', () => {
  const tok = tokenizer();
  const concepts = [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }];
  const target: PlanarImage = { width: 16, height: 12, channels: 5, data: new Float32Array(5 * 16 * 12).fill(0.5) };
  const reg = [0, 1, 2].map((i) => ({ image: { width: 8, height: 8, channels: 3, data: new Float32Array(192).fill(i / 3) }, caption: 'a cat and a dog' }));
  const ds = new PersonalizationDataset({ target, concepts, regularisation: reg, tokenizer: tok, resolution: 16, latentFactor: 8, seed: 5, isUnionSampling: false });

  it('mixes exactly half regularisation samples per epoch, each regularisation image once', () => {
    const kinds = Array.from({ length: ds.epochLength }, (_, i) => ds.kindOf(i));
    expect(kinds.filter((k) => k.kind === 'target')).toHaveLength(3);
    expect(kinds.filter((k) => k.kind === 'regularisation').map((k) => k.regIndex).sort()).toEqual([0, 1, 2]);
  });

  it('gives regularisation samples the class caption, an all-ones mask and no concepts; samples repeat per seed', () => {
    const i = Array.from({ length: 6 }, (_, k) => k).find((k) => ds.kindOf(k).kind === 'regularisation') as number;
    const s = ds.sample(i);
    expect([s.caption.text, s.present, s.lossMask.every((v) => v === 1)]).toEqual(['a cat and a dog', [false, false], true]);
    const t = Array.from({ length: 6 }, (_, k) => k).find((k) => ds.kindOf(k).kind === 'target') as number;
    const a = ds.sample(t);
    expect(a.caption.text.endsWith('photo of a <cat1> cat and <dog1> dog')).toBe(true);
    expect(a.conceptMasks).toHaveLength(2 * 16 * 16);
    expect(Array.from(ds.sample(t).pixels)).toEqual(Array.from(a.pixels));
  });
});
