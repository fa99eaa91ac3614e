// Micro-batch feeds of the training graph: shapes, prompt ids, selection/presence from the prompt, the loss
// mask as the union of the present concepts' masks (ones for regularisation prompts), masks at map resolution.
import { describe, expect, it } from 'vitest';
import { DISENDIFF_DEFAULTS, microBatchFeeds, resizeNearest } from '../../src/train/index';
import { SEQ, tinyConcepts, tinyTrainGraph } from './tiny';

describe('nearest resize', () => {
  it('picks the top-left source pixel of each cell when shrinking 4×4 → 2×2, and repeats when growing', () => {
    const m = Array.from({ length: 16 }, (_, i) => i);
    expect([...resizeNearest(m, 4, 4, 2, 2)]).toEqual([0, 2, 8, 10]);
    expect([...resizeNearest([1, 2, 3, 4], 2, 2, 4, 4)].slice(0, 8)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });
});

describe('micro-batch feeds with mask guidance', () => {
  const tg = tinyTrainGraph(DISENDIFF_DEFAULTS, 3);
  const { tok, concepts } = tinyConcepts();
  const cat = new Float32Array(64).fill(0);
  cat.fill(1, 0, 8);
  const dog = new Float32Array(64).fill(0);
  dog.fill(1, 56, 64);
  const sample = (prompt: string): { prompt: string; latents: Float32Array; noise: Float32Array; timestep: number; masks: Float32Array[] } => ({ prompt, latents: new Float32Array(256), noise: new Float32Array(256), timestep: 10, masks: [cat, dog] });
  const feeds = microBatchFeeds(tg, tok, concepts, [sample('photo of a <cat1> cat and <dog1> dog'), sample('photo of a <dog1> dog'), sample('photo of a cat and a dog')], [4, 8, 8]);
  it('feeds exactly the graph data inputs with the graph shapes', () => {
    for (const vi of tg.backward.graph.inputs.filter((v) => tg.dataInputs.includes(v.name))) expect(feeds[vi.name]?.dims).toEqual(vi.shape);
    expect(Object.keys(feeds).sort()).toEqual([...tg.dataInputs].sort());
    expect(feeds.input_ids?.dtype).toBe('int32');
    expect(feeds.input_ids?.dims).toEqual([3, SEQ]);
  });
  it('marks presence from the prompt text', () => {
    expect([...(feeds.present?.data as Float32Array)]).toEqual([1, 1, 0, 1, 0, 0]);
  });
  it('restricts the base loss to the union of present masks, and keeps every pixel for a prompt without concepts (regularisation)', () => {
    const m = feeds.mask?.data as Float32Array;
    expect(m.subarray(0, 64).reduce((a, v) => a + v, 0)).toBe(16);
    expect(m.subarray(64, 128).reduce((a, v) => a + v, 0)).toBe(8);
    expect(m[64 + 63]).toBe(1);
    expect(m.subarray(128, 192).every((v) => v === 1)).toBe(true);
  });
});
