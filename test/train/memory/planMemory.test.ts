// The memory planner on real training graphs: the tiny model's prediction grows with resolution and batch, the
// breakdown's persistent parts match the parameter counts, strategies only ever lower the activation peak,
// and SD 1.5 at 512 px batch 1 (shapes only) lands in a sane range: the fused step does not fit 8 GiB, the step
// rebuilt with recomputation per UNet layer does, and the plan tells the job to recompute.
import { describe, expect, it } from 'vitest';
import { SD15_CLIP_TEXT, SD15_UNET, TINY_CLIP_TEXT, TINY_UNET } from '../../../src/onnx/index';
import { DEFAULT_BUDGET_BYTES, modelCandidates, planFromProfile, planMemory, planRecompute, planRun } from '../../../src/train/index';
import type { Candidate } from '../../../src/train/index';
import { SD15_MEMORY_PROFILE } from '../../../src/train/memory/sd15Profile';

const GiB = 2 ** 30;
const tiny = { unet: TINY_UNET, text: TINY_CLIP_TEXT, seqLen: 12 };
const full = (cs: Candidate[]): Candidate => cs.find((c) => c.kind === 'full') as Candidate;

describe('the tiny model', () => {
  const at64b1 = modelCandidates(tiny, 64, 1);
  const at128b1 = modelCandidates(tiny, 128, 1);
  const at64b2 = modelCandidates(tiny, 64, 2);
  it('predicts more activation memory at a higher resolution and a larger batch', () => {
    expect(full(at128b1).breakdown.activations).toBeGreaterThan(full(at64b1).breakdown.activations * 2);
    expect(full(at64b2).breakdown.activations).toBeGreaterThan(full(at64b1).breakdown.activations * 1.5);
  });
  it('keeps frozen weights (up to size-dependent graph constants) independent of resolution; AdamW m, v = 2 × trainables', () => {
    const a = full(at64b1).breakdown;
    expect(Math.abs(full(at128b1).breakdown.frozenWeights - a.frozenWeights)).toBeLessThan(4096);
    expect(a.optimizerState).toBe(2 * a.trainable);
    expect(a.gradientAccumulators).toBe(0);
  });
  it('never predicts more for recompute or per-block sessions than for the full step; recompute is implemented', () => {
    for (const cs of [at64b1, at128b1, at64b2]) {
      const f = full(cs).breakdown.activations;
      for (const c of cs) expect(c.breakdown.activations).toBeLessThanOrEqual(f);
      expect(cs.map((c) => [c.kind, c.isImplemented])).toEqual([['full', true], ['recompute', true], ['per-block', false]]);
    }
    // at 16×16 latents the rewritten graph's peak is well below the fused step's
    const at128 = at128b1.find((c) => c.kind === 'recompute') as Candidate;
    expect(at128.breakdown.activations).toBeLessThan(0.8 * full(at128b1).breakdown.activations);
  });
  it('adds gradient accumulators equal to the trainables when accumulating', () => {
    const acc = full(modelCandidates(tiny, 64, 1, 4)).breakdown;
    expect(acc.gradientAccumulators).toBe(acc.trainable);
  });
});

describe('SD 1.5 at 512 px, batch 1, 8 GiB', () => {
  const plan = planMemory({ unet: SD15_UNET, text: SD15_CLIP_TEXT }, { resolution: 512, batch: 1 });
  const first = plan.candidates[0] as Candidate;
  it('holds the fp32 UNet + CLIP weights and 19,169,280 K/V weights plus two modifier rows as trainables', () => {
    expect(first.breakdown.trainable).toBe((19169280 + 2 * 768) * 4);
    expect(first.breakdown.frozenWeights / GiB).toBeGreaterThan(3.3);
    expect(first.breakdown.frozenWeights / GiB).toBeLessThan(3.8);
  });
  it('predicts a fused step of 8–14 GiB, which does not fit, and chooses recomputation per layer at 512 px', () => {
    expect(first.kind).toBe('full');
    expect(first.predictedPeakBytes / GiB).toBeGreaterThan(8);
    expect(first.predictedPeakBytes / GiB).toBeLessThan(14);
    expect(plan.budgetBytes).toBe(DEFAULT_BUDGET_BYTES);
    expect(plan.fits).toBe(true);
    expect([plan.strategy.kind, plan.strategy.resolution, plan.strategy.isImplemented]).toEqual(['recompute', 512, true]);
    expect(plan.strategy.breakdown.activations).toBeLessThan(0.5 * first.breakdown.activations);
    expect(plan.predictedPeakBytes).toBeLessThanOrEqual(DEFAULT_BUDGET_BYTES);
    expect(plan.explanation).toMatch(/recomputation per UNet layer at 512 px/);
    expect(planRecompute(plan)).toBe('layers');
  });
  it('tells the job not to recompute when the fused step fits the budget', () => {
    const roomy = planFromProfile(SD15_MEMORY_PROFILE, { resolution: 512, batch: 1, budgetBytes: 16 * GiB });
    expect([roomy.strategy.kind, roomy.fits]).toEqual(['full', true]);
    expect(planRecompute(roomy)).toBeUndefined();
  });
  it('steps the job down the resolution ladder when only a lower resolution fits, and keeps it when nothing does', () => {
    const at = (gib: number) => planRun(planFromProfile(SD15_MEMORY_PROFILE, { resolution: 512, batch: 1, budgetBytes: gib * GiB }));
    expect(at(16)).toEqual({ recompute: undefined, resolution: 512, isLowered: false, fits: true });
    expect(at(8)).toEqual({ recompute: 'layers', resolution: 512, isLowered: false, fits: true });
    // 512 px needs 5.97 GiB even with recomputation; 448 px with recomputation needs 5.21 GiB
    const lowered = at(5.5);
    expect(lowered).toEqual({ recompute: 'layers', resolution: 448, isLowered: true, fits: true });
    const plan = planFromProfile(SD15_MEMORY_PROFILE, { resolution: 512, batch: 1, budgetBytes: 5.5 * GiB });
    expect(plan.strategy.predictedPeakBytes).toBeLessThanOrEqual(5.5 * GiB);
    expect(plan.candidates.filter((c) => c.resolution === 512 && c.isImplemented).every((c) => c.predictedPeakBytes > 5.5 * GiB)).toBe(true);
    // below the frozen weights nothing fits: the requested resolution, with the smallest strategy there
    expect(at(3)).toEqual({ recompute: 'layers', resolution: 512, isLowered: false, fits: false });
  });
  it('agrees with the generated profile', () => {
    const fromProfile = planFromProfile(SD15_MEMORY_PROFILE, { resolution: 512, batch: 1 });
    expect(fromProfile.strategy.resolution).toBe(plan.strategy.resolution);
    expect(fromProfile.predictedPeakBytes).toBe(plan.predictedPeakBytes);
  });
});
