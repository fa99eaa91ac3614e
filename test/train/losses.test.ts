// DisenDiff losses (docs/disendiff.md §2.4, §2.7) and mask guidance (§5): CPU references on hand values, and the
// graph builders against the CPU references in onnxruntime-node on fixed seeded maps.
import { describe, expect, it } from 'vitest';
import { createDdpm, SD15_BETAS, alphasCumprod } from '../../src/diffusion/index';
import { Rng } from '../../src/lib/random';
import { GraphBuilder } from '../../src/onnx/index';
import { addNoiseGraph, calibrationGraph, calibrationLosses, maskAttentionGraph, maskAttentionLoss, maskedMse, maskedMseGraph, softIou, softIouGraph } from '../../src/train/index';
import { closeness, f32, runBuilder } from '../helpers/ort';

function nested(data: Float32Array, b: number, n: number, px: number): number[][][] {
  return Array.from({ length: b }, (_, i) => Array.from({ length: n }, (_, j) => [...data.subarray((i * n + j) * px, (i * n + j + 1) * px)]));
}

describe('soft IoU with smoothing 1', () => {
  it('is 1 for identical binary maps, below 1 for identical soft maps, and (0+1)/(2+1) for disjoint one-hot maps', () => {
    expect(softIou([1, 1, 0], [1, 1, 0], 1)).toBe(1);
    expect(softIou([1, 0.5, 0], [1, 0.5, 0], 1)).toBeCloseTo(2.25 / 2.75, 15);
    expect(softIou([1, 0], [0, 1], 1)).toBeCloseTo(1 / 3, 15);
  });
  it('matches (Σab+1)/(Σa+Σb−Σab+1) on a fixed pair', () => {
    expect(softIou([0.2, 0.8, 0.5], [0.6, 0.1, 0.5], 1)).toBeCloseTo((0.12 + 0.08 + 0.25 + 1) / (1.5 + 1.2 - 0.45 + 1), 12);
  });
  it('in the graph equals the CPU value per row', async () => {
    const rng = new Rng(4);
    const a = Float32Array.from({ length: 12 }, () => rng.uniform());
    const c = Float32Array.from({ length: 12 }, () => rng.uniform());
    const b = new GraphBuilder('iou');
    b.output(softIouGraph(b.input('a', 'float32', [3, 4]), b.input('c', 'float32', [3, 4]), 1), 'iou');
    const out = await runBuilder(b, { a: f32([3, 4], a), c: f32([3, 4], c) });
    const want = [0, 1, 2].map((r) => softIou(a.subarray(4 * r, 4 * r + 4), c.subarray(4 * r, 4 * r + 4), 1));
    expect(closeness(out.iou?.data as Float32Array, want, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
  });
});

describe('L_bind and L_s&s', () => {
  it('follow the released formula for two concepts present in one sample', () => {
    const m = [[[1, 0], [0, 1]]];
    const c = [[[1, 0], [0.5, 0.5]]];
    const r = calibrationLosses({ modifier: m, cls: c, present: [[1, 1]] }, 1);
    expect(r.bind).toBeCloseTo(1 - 1 + (1 - softIou([0.5, 0.5], [0, 1], 1)), 12);
    expect(r.separate).toBeCloseTo(softIou([1, 0], [0.5, 0.5], 1), 12);
    expect(r.count).toBe(1);
  });
  it('average three pairs for three concepts (÷3, as new3_subject) and skip absent concepts and samples', () => {
    const c = [[[1, 0], [0, 1], [1, 1]], [[0, 0], [0, 0], [0, 0]]];
    const r = calibrationLosses({ modifier: c, cls: c, present: [[1, 1, 1], [0, 0, 0]] }, 1);
    const pairs = [softIou([1, 0], [0, 1], 1), softIou([1, 0], [1, 1], 1), softIou([0, 1], [1, 1], 1)];
    expect(r.separate).toBeCloseTo(pairs.reduce((a, v) => a + v, 0) / 3, 12);
    expect(r.bind).toBeCloseTo(0, 12);
    expect(r.count).toBe(1);
  });
  it('in the graph equal the CPU reference under union sampling (B=3, n=3, mixed presence)', async () => {
    const rng = new Rng(9);
    const [bs, n, px] = [3, 3, 5];
    const mod = Float32Array.from({ length: bs * n * px }, () => rng.uniform());
    const cls = Float32Array.from({ length: bs * n * px }, () => rng.uniform());
    const present = Float32Array.from([1, 0, 1, 0, 0, 0, 1, 1, 1]);
    const b = new GraphBuilder('cal');
    const g = calibrationGraph(b.input('m', 'float32', [bs, n, px]), b.input('c', 'float32', [bs, n, px]), b.input('p', 'float32', [bs, n]), { bind: true, separate: true, smooth: 1 });
    b.output(g.bind as never, 'bind');
    b.output(g.separate as never, 'separate');
    const out = await runBuilder(b, { m: f32([bs, n, px], mod), c: f32([bs, n, px], cls), p: f32([bs, n], present) });
    const want = calibrationLosses({ modifier: nested(mod, bs, n, px), cls: nested(cls, bs, n, px), present: [[1, 0, 1], [0, 0, 0], [1, 1, 1]] }, 1);
    expect(want.count).toBe(2);
    expect(out.bind?.data[0]).toBeCloseTo(want.bind, 5);
    expect(out.separate?.data[0]).toBeCloseTo(want.separate, 5);
  });
});

describe('the base loss', () => {
  const dims = [2, 2, 2, 2] as const;
  const rng = new Rng(2);
  const pred = rng.normalArray(16);
  const eps = rng.normalArray(16);
  const mask = Float32Array.from([1, 0, 0, 1, 1, 1, 1, 1]);
  it('is the released p_losses scale: Σ over channels and pixels of m·err² over Σ of the one-channel mask (C × the masked MSE)', () => {
    // Hand-computed: ε_θ − ε = 1 everywhere, C = 4, mask keeps 3 of 4 pixels: (4 channels · 3 pixels · 1) / 3 = 4.
    const ones = new Float32Array(16).fill(1);
    expect(maskedMse(ones, new Float32Array(16), [1, 4, 2, 2], [1, 1, 0, 1])).toBeCloseTo(4, 6);
    // Without a mask the released code's mask is all ones: 4 · 4 / 4 = 4, i.e. C × the plain mean (1).
    expect(maskedMse(ones, new Float32Array(16), [1, 4, 2, 2])).toBeCloseTo(4, 6);
  });
  it('masked loss divides by Σmask of one channel per sample (p_losses), the plain one is C × the mean', () => {
    let num0 = 0;
    for (const ch of [0, 1]) for (const p of [0, 3]) num0 += ((pred[ch * 4 + p] as number) - (eps[ch * 4 + p] as number)) ** 2;
    let num1 = 0;
    for (let i = 8; i < 16; i++) num1 += ((pred[i] as number) - (eps[i] as number)) ** 2;
    expect(maskedMse(pred, eps, dims, mask)).toBeCloseTo((num0 / 2 + num1 / 4) / 2, 6);
    expect(maskedMse(pred, eps, dims)).toBeCloseTo((2 * pred.reduce((a, v, i) => a + (v - (eps[i] as number)) ** 2, 0)) / 16, 6);
  });
  it('in the graph equals the CPU reference, with and without a mask', async () => {
    const b = new GraphBuilder('mse');
    const p = b.input('p', 'float32', [...dims]);
    const e = b.input('e', 'float32', [...dims]);
    b.output(maskedMseGraph(p, e, b.input('m', 'float32', [2, 1, 2, 2])), 'masked');
    b.output(maskedMseGraph(p, e), 'plain');
    const out = await runBuilder(b, { p: f32([...dims], pred), e: f32([...dims], eps), m: f32([2, 1, 2, 2], mask) });
    expect(out.masked?.data[0]).toBeCloseTo(maskedMse(pred, eps, dims, mask), 5);
    expect(out.plain?.data[0]).toBeCloseTo(maskedMse(pred, eps, dims), 5);
  });
  it('noises latents in the graph exactly as the DDPM scheduler addNoise (SD 1.5 betas)', async () => {
    const z0 = rng.normalArray(16);
    const noise = rng.normalArray(16);
    const b = new GraphBuilder('noise');
    b.output(addNoiseGraph(b.input('z', 'float32', [...dims]), b.input('n', 'float32', [...dims]), b.input('t', 'float32', [2]), alphasCumprod(SD15_BETAS)), 'zt');
    const out = await runBuilder(b, { z: f32([...dims], z0), n: f32([...dims], noise), t: f32([2], [17, 981]) });
    const want = createDdpm({}, 1000).addNoise(z0, noise, [17, 981]);
    expect(closeness(out.zt?.data as Float32Array, want, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
  });
});

describe('the mask-attention term (Break-A-Scene)', () => {
  it('is the presence-weighted MSE of max-normalised maps against the masks, divided by B', async () => {
    const raw = [[[0.1, 0.4], [0.2, 0.2]]];
    const masks = [[[0, 1], [1, 1]]];
    expect(maskAttentionLoss(raw, masks, [[1, 1]])).toBeCloseTo(((0.25 - 0) ** 2 + 0) / 2 + 0, 6);
    expect(maskAttentionLoss(raw, masks, [[0, 1]])).toBeCloseTo(0, 6);
    const b = new GraphBuilder('ma');
    b.output(maskAttentionGraph(b.input('r', 'float32', [1, 2, 2]), b.input('k', 'float32', [1, 2, 2]), b.input('p', 'float32', [1, 2])), 'l');
    const out = await runBuilder(b, { r: f32([1, 2, 2], raw.flat(2)), k: f32([1, 2, 2], masks.flat(2)), p: f32([1, 2], [1, 1]) });
    expect(out.l?.data[0]).toBeCloseTo(maskAttentionLoss(raw, masks, [[1, 1]]), 6);
  });
});
