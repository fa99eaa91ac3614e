// Stage B's sliding scene pool (tools/trainBase/pool.ts): a resumed run rebuilds exactly the window and draws of a
// straight run; the window slides by 16 scenes every 4 steps; data (render + encode) costs a quarter of fresh batches.
import { describe, expect, it } from 'vitest';
import { BASE_VAE } from '../../../src/train/base/config';
import { batchRng } from '../../../src/train/base/data';
import { POOL_REFRESH, POOL_REFRESH_EVERY, ScenePool, stackSamples } from '../../../tools/trainBase/pool';

const PER = BASE_VAE.latent_channels * 16 * 16;

/** A stand-in encoder: each scene's latent is filled with the mean of its pixels; counts its calls. */
function fakeEncoder() {
  const calls = { n: 0 };
  const encode = async (pixels: Float32Array): Promise<Float32Array> => {
    calls.n++;
    const per = pixels.length / POOL_REFRESH;
    const out = new Float32Array(POOL_REFRESH * PER);
    for (let k = 0; k < POOL_REFRESH; k++) out.fill(pixels.subarray(k * per, (k + 1) * per).reduce((a, v) => a + v, 0) / per, k * PER, (k + 1) * PER);
    return out;
  };
  return { encode, calls };
}

const key = (s: { latent: Float32Array; caption: string }): string => `${s.caption}|${s.latent[0]!.toFixed(6)}`;

describe('ScenePool', () => {
  it('draws the same scenes after a resume as in a straight run', async () => {
    const straight = new ScenePool(fakeEncoder().encode, 3, 64);
    const a: string[][] = [];
    for (let i = 0; i < 12; i++) a.push((await straight.draw(i, 16, batchRng(3, 1, i))).map(key));
    const resumed = new ScenePool(fakeEncoder().encode, 3, 64);
    for (let i = 7; i < 12; i++) expect((await resumed.draw(i, 16, batchRng(3, 1, i))).map(key)).toEqual(a[i]);
    expect(new Set(a.flat()).size).toBeGreaterThan(40); // draws spread over the window, not one scene
  });

  it('slides by 16 scenes every 4 steps and encodes a quarter of what fresh batches would', async () => {
    expect([0, 3, 4, 9].map(ScenePool.windowStart)).toEqual([0, 0, POOL_REFRESH, 2 * POOL_REFRESH]);
    const { encode, calls } = fakeEncoder();
    const pool = new ScenePool(encode, 0, 64);
    for (let i = 0; i < 40; i++) await pool.draw(i, 16, batchRng(0, 1, i));
    // 4 calls fill the first window, then one per slide: 39 / 4 → 9 more; fresh batches would make 40 calls
    expect(calls.n).toBe(64 / POOL_REFRESH + Math.floor(39 / POOL_REFRESH_EVERY));
  });

  it('stacks drawn samples into batch buffers and refuses a size that is not a multiple of 16', async () => {
    const pool = new ScenePool(fakeEncoder().encode, 1, 32);
    const samples = await pool.draw(0, 4, batchRng(1, 1, 0));
    const { latents, objects, captions } = stackSamples(samples);
    expect(latents.length).toBe(4 * PER);
    expect(objects.length).toBe(4 * 256);
    expect(latents[2 * PER]).toBe(samples[2]!.latent[0]);
    expect(captions[3]).toBe(samples[3]!.caption);
    expect(() => new ScenePool(fakeEncoder().encode, 0, 40)).toThrow(/multiple of 16/);
  });
});
