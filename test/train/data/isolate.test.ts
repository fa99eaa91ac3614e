// Subset isolation (src/train/data/isolate.ts): dilation, the hole fill on flat and graded backgrounds, erasing the
// left-out concepts, and the dataset's isolated views (same geometry as without isolation, erased region carried).
import { describe, expect, it } from 'vitest';
import { ClipBpeTokenizer } from '../../../src/diffusion/index';
import { tinyClipVocab, TINY_MERGES } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { Rng } from '../../../src/lib/random';
import { PersonalizationDataset } from '../../../src/train/data/dataset';
import type { PlanarImage } from '../../../src/train/data/image';
import { dilate, fillHoles, isolateConcepts } from '../../../src/train/data/isolate';
import { microBatchFeeds } from '../../../src/train/feeds/microBatch';

const W = 16;
const HW = W * W;

/** [3 + 2, 16, 16]: background (0.1, 0.2, 0.3); concept 1 a red square at rows/cols 2..5, concept 2 a blue one at 9..13. */
function scene(): PlanarImage {
  const data = new Float32Array(5 * HW);
  const bg = [0.1, 0.2, 0.3];
  for (let c = 0; c < 3; c++) data.fill(bg[c] as number, c * HW, (c + 1) * HW);
  const square = (y0: number, y1: number, rgb: number[], ch: number): void => {
    for (let y = y0; y <= y1; y++) for (let x = y0; x <= y1; x++) {
      rgb.forEach((v, c) => (data[c * HW + y * W + x] = v));
      data[ch * HW + y * W + x] = 1;
    }
  };
  square(2, 5, [1, -1, -1], 3);
  square(9, 13, [-1, -1, 1], 4);
  return { width: W, height: W, channels: 5, data };
}

describe('dilate', () => {
  it('grows a pixel to a (2r+1)² square, clipped at the border', () => {
    const m = new Float32Array(25);
    m[6] = 1; // (1, 1) in 5×5
    const d = dilate(m, 5, 5, 1);
    const set = Array.from(d.keys()).filter((p) => d[p] === 1);
    expect(set).toEqual([0, 1, 2, 5, 6, 7, 10, 11, 12]);
    expect(Array.from(dilate(m, 5, 5, 0))).toEqual(Array.from(m));
  });
});

describe('fillHoles', () => {
  it('restores a flat background exactly and a linear ramp to within its range and close to it', () => {
    const flat = new Float32Array(HW).fill(0.25);
    const hole = new Float32Array(HW);
    for (let y = 4; y < 10; y++) for (let x = 5; x < 12; x++) { hole[y * W + x] = 1; flat[y * W + x] = 9; }
    expect(fillHoles(flat, 1, W, W, hole)).toBe(true);
    expect(Math.max(...Array.from(flat, (v) => Math.abs(v - 0.25)))).toBeLessThan(1e-6);
    const ramp = Float32Array.from({ length: HW }, (_, p) => (p % W) / W);
    const truth = ramp.slice();
    hole.forEach((h, p) => h && (ramp[p] = -5));
    fillHoles(ramp, 1, W, W, hole);
    const err = Math.max(...Array.from(ramp, (v, p) => Math.abs(v - (truth[p] as number))));
    expect(err).toBeLessThan(0.1);
    expect(Math.min(...ramp)).toBeGreaterThanOrEqual(0);
  });

  it('leaves the data unchanged and says so when nothing is known', () => {
    const d = new Float32Array(4).fill(3);
    expect(fillHoles(d, 1, 2, 2, [1, 1, 1, 1])).toBe(false);
    expect(Array.from(d)).toEqual([3, 3, 3, 3]);
  });
});

describe('isolateConcepts', () => {
  it('erases the left-out concept (dilated) into the background and keeps the named one untouched', () => {
    const img = scene();
    const { image, erased } = isolateConcepts(img, [true, false], 1);
    for (let p = 0; p < HW; p++) {
      const inTwo = img.data[4 * HW + p] === 1;
      const inOne = img.data[3 * HW + p] === 1;
      if (inTwo) expect(erased[p]).toBe(1);
      if (inOne) expect(erased[p]).toBe(0);
      for (let c = 0; c < 3; c++) {
        if (inTwo) expect(image.data[c * HW + p]).toBeCloseTo([0.1, 0.2, 0.3][c] as number, 5);
        if (!erased[p]) expect(image.data[c * HW + p]).toBe(img.data[c * HW + p]);
      }
    }
    // the dilated rim: 5×5 square grown by one pixel per side
    expect(erased.reduce((a, b) => a + b, 0)).toBe(7 * 7);
    // mask channels are unchanged, and the input is not mutated
    expect(Array.from(image.data.subarray(3 * HW))).toEqual(Array.from(img.data.subarray(3 * HW)));
    expect(img.data[0 * HW + 10 * W + 10]).toBe(-1);
  });

  it('refuses keep flags that do not match the mask channels', () => {
    expect(() => isolateConcepts(scene(), [true])).toThrow(/2 mask channel/);
  });
});

describe('the dataset with subset isolation', () => {
  const v = tinyClipVocab(TINY_MERGES);
  const tok = new ClipBpeTokenizer(v.vocabJson, v.mergesTxt, { maxLength: 20 });
  tok.addTokens(['<cat1>', '<dog1>']);
  const concepts = [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }];
  const base = { target: scene(), concepts, regularisation: [], tokenizer: tok, resolution: 16, latentFactor: 8, seed: 3, isUnionSampling: true };
  const plain = new PersonalizationDataset(base);
  const iso = new PersonalizationDataset({ ...base, isIsolatingSubsets: true });
  const samples = Array.from({ length: 24 }, (_, i) => [plain.sample(i), iso.sample(i)] as const);

  it('keeps the geometry, subset and caption of each view; erases exactly in the views that leave a concept out', () => {
    const partial = samples.filter(([p]) => !p.present.every(Boolean));
    expect(partial.length).toBeGreaterThan(4);
    expect(samples.length - partial.length).toBeGreaterThan(4);
    for (const [p, s] of samples) {
      expect([s.present, s.caption.text, s.branch, s.isFlipped]).toEqual([p.present, p.caption.text, p.branch, p.isFlipped]);
      expect(Array.from(s.conceptMasks)).toEqual(Array.from(p.conceptMasks));
      const isPartial = !p.present.every(Boolean);
      const erasedSum = s.erased.reduce((a, b) => a + b, 0);
      if (!isPartial) {
        expect(erasedSum).toBe(0);
        expect(Array.from(s.pixels)).toEqual(Array.from(p.pixels));
      } else {
        // where the left-out concept was (and the named one is not), the view now holds the background
        const out = p.present.findIndex((x) => !x);
        const inside = Array.from({ length: HW }, (_, k) => k).filter((k) => (p.conceptMasks[out * HW + k] as number) > 0.99 && p.conceptMasks[(1 - out) * HW + k] === 0);
        if (inside.length) expect(erasedSum).toBeGreaterThan(0);
        for (const k of inside) {
          expect(s.erased[k]).toBeGreaterThan(0.99);
          expect(s.pixels[2 * HW + k]).toBeCloseTo(0.3, 1);
        }
      }
    }
  });

  it('feeds the erased region into the loss mask next to the named concepts\' masks', () => {
    const [, s] = samples.find(([p]) => p.present.join() === 'true,false' && p.branch === 'plain') ?? samples.find(([p]) => p.present.join() === 'true,false') ?? [];
    if (!s) throw new Error('no view names only concept 1');
    const masks = [0, 1].map((i) => s.conceptMasks.slice(i * HW, (i + 1) * HW));
    const tg = { dataInputs: ['mask'], mapSize: [4, 4] } as unknown as Parameters<typeof microBatchFeeds>[0];
    const sample = { latents: new Float32Array(HW), noise: new Float32Array(HW), timestep: 1, prompt: s.caption.text, masks };
    const ids = s.caption.ids; // the class ids as this caption encodes them (<dog1> is absent, so its classId is unused)
    const registered = concepts.map((c, row) => ({ ...c, tokenId: tok.tokenToId(c.token) as number, classId: ids[(s.caption.classPositions[0] as number)] as number, row }));
    const without = microBatchFeeds(tg, tok, registered, [sample], [1, W, W]).mask?.data as Float32Array;
    const withErased = microBatchFeeds(tg, tok, registered, [{ ...sample, erased: s.erased }], [1, W, W]).mask?.data as Float32Array;
    for (let p = 0; p < HW; p++) {
      expect(without[p]).toBe(masks[0]?.[p]);
      expect(withErased[p]).toBe(Math.max(masks[0]?.[p] as number, s.erased[p] as number));
    }
    expect(withErased.reduce((a, b) => a + b, 0)).toBeGreaterThan(without.reduce((a, b) => a + b, 0));
  });

  it('clones an Rng: the copy draws the same sequence as the original from that point', () => {
    const r = new Rng(9);
    r.normal();
    const c = r.clone();
    expect([r.uniform(), r.normal(), r.int(0, 99)]).toEqual([c.uniform(), c.normal(), c.int(0, 99)]);
  });
});

describe('isolating touching objects', () => {
  it('fills from the background only: the kept object\'s colour does not smear into the erased one', () => {
    const img = scene();
    // make the blue square touch the red one: extend it up to row/col 6
    for (let y = 6; y <= 13; y++) for (let x = 6; x <= 13; x++) {
      if (img.data[3 * HW + y * W + x] === 1) continue;
      [-1, -1, 1].forEach((v, c) => (img.data[c * HW + y * W + x] = v));
      img.data[4 * HW + y * W + x] = 1;
    }
    const { image, erased } = isolateConcepts(img, [true, false], 1);
    for (let p = 0; p < HW; p++) {
      if (!erased[p]) continue;
      [0.1, 0.2, 0.3].forEach((bg, c) => expect(image.data[c * HW + p]).toBeCloseTo(bg, 5));
    }
  });
});
