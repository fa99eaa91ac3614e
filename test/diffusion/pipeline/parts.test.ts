// Pure pieces of the text-to-image loop: guidance arithmetic, seeded batch noise, pixel conversion
// and the attention accumulator, on hand-computed numbers.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { CrossAttentionAccumulator, tokenMap } from '../../../src/diffusion/pipeline/attentionMaps';
import { applyGuidance, duplicateBatch } from '../../../src/diffusion/pipeline/guidance';
import { BatchNoise, latentPreview, pixelsToRgb } from '../../../src/diffusion/pipeline/latents';

describe('classifier-free guidance', () => {
  it('computes ε_u + w(ε_c − ε_u) from the [uncond, cond] halves', () => {
    expect(Array.from(applyGuidance(Float32Array.of(1, 2, 3, 6), 2))).toEqual([5, 10]);
    expect(Array.from(duplicateBatch(Float32Array.of(1, 2)))).toEqual([1, 2, 1, 2]);
  });
});

describe('seeded batch noise', () => {
  it('draws image i from Rng(seed + i), step after step', () => {
    const n = new BatchNoise(10, 2, 3);
    const first = n.next();
    const second = n.next();
    const r0 = new Rng(10);
    const r1 = new Rng(11);
    expect(Array.from(first)).toEqual([...r0.normalArray(3), ...r1.normalArray(3)]);
    expect(Array.from(second)).toEqual([...r0.normalArray(3), ...r1.normalArray(3)]);
  });
});

describe('pixel conversion', () => {
  it('maps [−1, 1] planes to interleaved RGB bytes, clamped', () => {
    expect(Array.from(pixelsToRgb(Float32Array.of(-1, 1, 0, 2, -3, 0.5), 1, 1, 2))).toEqual([0, 128, 0, 255, 255, 191]);
  });

  it('previews zero latents as mid grey', () => {
    expect(Array.from(latentPreview(new Float32Array(4), 1, 4, 1, 1))).toEqual([128, 128, 128]);
  });
});

describe('attention accumulation', () => {
  it('averages the cond half over heads, steps and layers', () => {
    const layers = [{ layer: 'l0', output: 'o0', resolution: [1, 1] as [number, number], heads: 2 }];
    const acc = new CrossAttentionAccumulator(layers, 1, true, 2);
    acc.add({ o0: Float32Array.of(9, 9, 9, 9, 0.2, 0.8, 0.4, 0.6) });
    acc.add({ o0: Float32Array.of(9, 9, 9, 9, 0, 1, 0.2, 0.8) });
    const maps = acc.finish(2, 2, ['a', 'b']);
    expect(Array.from(tokenMap(maps, 0, 0)).map((v) => +v.toFixed(6))).toEqual([0.2, 0.2, 0.2, 0.2]);
    expect(maps.steps).toBe(2);
  });
});
