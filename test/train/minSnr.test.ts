// Min-SNR-γ weighting (src/train/losses/minSnr.ts, Hang et al. 2023): the weight table against SNR computed by
// hand from the SD 1.5 schedule, the CPU reference against a hand sum, and the graph against the CPU reference.
import { describe, expect, it } from 'vitest';
import { alphasCumprod, SD15_BETAS } from '../../src/diffusion/index';
import { Rng } from '../../src/lib/random';
import { GraphBuilder } from '../../src/onnx/index';
import { minSnrMse, minSnrMseGraph, minSnrWeights } from '../../src/train/index';
import { f32, runBuilder } from '../helpers/ort';

describe('Min-SNR-γ weighting', () => {
  const a = alphasCumprod(SD15_BETAS);
  const w = minSnrWeights(a, 5);

  it('is γ/SNR where SNR > γ and 1 where SNR ≤ γ', () => {
    const snr = (t: number): number => (a[t] as number) / (1 - (a[t] as number));
    expect(snr(0)).toBeGreaterThan(1000);
    expect(w[0]).toBeCloseTo(5 / snr(0), 6);
    expect(w[999]).toBe(1);
    const cross = Array.from(w).findIndex((v) => v === 1);
    expect(snr(cross)).toBeLessThanOrEqual(5);
    expect(snr(cross - 1)).toBeGreaterThan(5);
    for (let t = 1; t < 1000; t++) expect(w[t] as number).toBeGreaterThanOrEqual(w[t - 1] as number);
    expect(() => minSnrWeights(a, 0)).toThrow(/γ must be positive/);
  });

  const rng = new Rng(3);
  const pred = rng.normalArray(2 * 2 * 2 * 2, 1);
  const eps = rng.normalArray(16, 1);
  const ts = [10, 900];

  it('CPU reference: per-sample mean squared error times its weight, averaged over the batch', () => {
    let s0 = 0;
    let s1 = 0;
    for (let i = 0; i < 8; i++) s0 += ((pred[i] as number) - (eps[i] as number)) ** 2;
    for (let i = 8; i < 16; i++) s1 += ((pred[i] as number) - (eps[i] as number)) ** 2;
    expect(minSnrMse(pred, eps, 2, ts, w)).toBeCloseTo(((w[10] as number) * s0 / 8 + (w[900] as number) * s1 / 8) / 2, 6);
  });

  it('the graph equals the CPU reference', async () => {
    const b = new GraphBuilder('minsnr');
    const dims = [2, 2, 2, 2];
    b.output(minSnrMseGraph(b.input('p', 'float32', dims), b.input('e', 'float32', dims), b.input('t', 'float32', [2]), w), 'loss');
    const out = await runBuilder(b, { p: f32(dims, pred), e: f32(dims, eps), t: f32([2], ts) });
    expect(out.loss?.data[0]).toBeCloseTo(minSnrMse(pred, eps, 2, ts, w), 5);
  });

  // per-pixel weights [B, H·W] = [2, 4], broadcast over the 2 channels
  const m = [1, 2, 0, 3, 0.5, 1, 4, 1];

  it('CPU reference with pixel weights: each squared error times its pixel\'s weight', () => {
    let s0 = 0;
    let s1 = 0;
    for (let i = 0; i < 8; i++) s0 += (m[i % 4] as number) * ((pred[i] as number) - (eps[i] as number)) ** 2;
    for (let i = 8; i < 16; i++) s1 += (m[4 + (i % 4)] as number) * ((pred[i] as number) - (eps[i] as number)) ** 2;
    expect(minSnrMse(pred, eps, 2, ts, w, m)).toBeCloseTo(((w[10] as number) * s0 / 8 + (w[900] as number) * s1 / 8) / 2, 6);
    expect(minSnrMse(pred, eps, 2, ts, w, Array(8).fill(1))).toBeCloseTo(minSnrMse(pred, eps, 2, ts, w), 9);
  });

  it('the pixel-weighted graph equals the CPU reference and refuses a mis-shaped weight', async () => {
    const b = new GraphBuilder('minsnr_px');
    const dims = [2, 2, 2, 2];
    b.output(minSnrMseGraph(b.input('p', 'float32', dims), b.input('e', 'float32', dims), b.input('t', 'float32', [2]), w, b.input('m', 'float32', [2, 1, 2, 2])), 'loss');
    const out = await runBuilder(b, { p: f32(dims, pred), e: f32(dims, eps), t: f32([2], ts), m: f32([2, 1, 2, 2], Float32Array.from(m)) });
    expect(out.loss?.data[0]).toBeCloseTo(minSnrMse(pred, eps, 2, ts, w, m), 5);
    const bad = new GraphBuilder('minsnr_bad');
    expect(() => minSnrMseGraph(bad.input('p', 'float32', dims), bad.input('e', 'float32', dims), bad.input('t', 'float32', [2]), w, bad.input('m', 'float32', [2, 2, 2, 2]))).toThrow(/pixel weight/);
  });
});
