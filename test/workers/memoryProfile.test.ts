// The generation worker's memory profile of the loaded model: SD 1.5 configs (as typed or as parsed from a
// config.json) get the precomputed SD15_MEMORY_PROFILE; other models are planned at their latent size and
// labelled with their native training resolution (sample_size × VAE factor, as train/loop/job.ts trains).
import { describe, expect, it } from 'vitest';
import { parseClipTextConfig, parseUnetConfig } from '../../src/diffusion/loaders/configs';
import { SD15_CLIP_TEXT, SD15_UNET, TINY_CLIP_TEXT, TINY_UNET } from '../../src/onnx/index';
import { buildMemoryProfile, SD15_MEMORY_PROFILE } from '../../src/train/index';
import { loweredResolution, plannedRun } from '../../src/workers/trainingStart';

/** The recomputation of the run the memory plan picks. */
const plannedRecompute = (...a: Parameters<typeof plannedRun>) => plannedRun(...a)?.recompute;
import { isSd15, modelMemoryProfile } from '../../src/workers/memoryProfile';

describe('modelMemoryProfile', () => {
  it('returns the precomputed SD 1.5 profile for SD 1.5 configs, also when parsed from config.json', () => {
    expect(modelMemoryProfile({ name: 'sd15', unet: SD15_UNET, text: SD15_CLIP_TEXT, latentFactor: 8 })).toBe(SD15_MEMORY_PROFILE);
    const unet = parseUnetConfig(JSON.parse(JSON.stringify({ ...SD15_UNET, num_attention_heads: null })));
    expect(isSd15(unet, parseClipTextConfig(JSON.parse(JSON.stringify(SD15_CLIP_TEXT))))).toBe(true);
    expect(isSd15({ ...SD15_UNET, use_linear_projection: true }, SD15_CLIP_TEXT)).toBe(false);
    expect(isSd15(SD15_UNET, { ...SD15_CLIP_TEXT, hidden_size: 1024 })).toBe(false);
  });

  it('plans a tiny model at its latent size for batches 1 and 2, labelled with its native resolution', () => {
    const tiny = modelMemoryProfile({ name: 'tiny', unet: TINY_UNET, text: TINY_CLIP_TEXT, latentFactor: 4 });
    expect(tiny.model).toBe('tiny');
    expect(tiny.candidates.map((c) => `${c.kind}@${c.resolution}/${c.batch}`)).toEqual([
      'full@32/1', 'recompute@32/1', 'per-block@32/1', 'full@32/2', 'recompute@32/2', 'per-block@32/2',
    ]);
    const built = buildMemoryProfile('tiny', { unet: TINY_UNET, text: TINY_CLIP_TEXT }, [1, 2], [64]);
    expect(tiny.candidates.map((c) => c.predictedPeakBytes)).toEqual(built.candidates.map((c) => c.predictedPeakBytes));
    const [full1, , perBlock1, full2] = tiny.candidates;
    expect(full2!.predictedPeakBytes).toBeGreaterThan(full1!.predictedPeakBytes);
    expect(perBlock1!.predictedPeakBytes).toBeLessThanOrEqual(full1!.predictedPeakBytes);
    expect(full1!.breakdown.frozenWeights).toBeGreaterThan(0);
  });

  it('refuses a latent size off the planner grid, naming it', () => {
    expect(() => modelMemoryProfile({ name: 'odd', unet: { ...TINY_UNET, sample_size: 12 }, text: TINY_CLIP_TEXT, latentFactor: 8 })).toThrow(/sample_size is 12/);
  });
});

describe('plannedRun: the resolution a job trains at', () => {
  it('steps SD 1.5 down to 448 px when 512 px does not fit the budget even with recomputation, and says so', () => {
    const run = plannedRun({ profile: SD15_MEMORY_PROFILE }, 1, 5.5);
    expect(run).toMatchObject({ recompute: 'layers', resolution: 448, isLowered: true, fits: true });
    expect(loweredResolution(run, 512)).toEqual({ resolution: 448, reason: 'training at 448 px instead of 512 px: 512 px does not fit the 5.50 GiB GPU memory budget even with recomputation' });
    expect(loweredResolution(plannedRun({ profile: SD15_MEMORY_PROFILE }, 1, 8), 512)).toBeUndefined();
    expect(loweredResolution(undefined, 512)).toBeUndefined();
  });
});

describe('plannedRecompute (what the engine client passes to the training job)', () => {
  it('recomputes per layer for SD 1.5 at 8 GiB, not for a model whose fused step fits, nor without a profile entry', () => {
    expect(plannedRecompute({ profile: SD15_MEMORY_PROFILE }, 1)).toBe('layers');
    expect(plannedRecompute({ profile: SD15_MEMORY_PROFILE }, 2)).toBe('layers');
    expect(plannedRecompute({ profile: SD15_MEMORY_PROFILE }, 3)).toBeUndefined();
    // the Training panel's budget reaches the plan: SD 1.5's plain step (8.8 GiB planned) fits 16 GB, not 8
    expect(plannedRecompute({ profile: SD15_MEMORY_PROFILE }, 1, 16)).toBeUndefined();
    expect(plannedRecompute({ profile: SD15_MEMORY_PROFILE }, 1, 8)).toBe('layers');
    const tiny = modelMemoryProfile({ name: 'tiny', unet: TINY_UNET, text: TINY_CLIP_TEXT, latentFactor: 4 });
    expect(plannedRecompute({ profile: tiny }, 1)).toBeUndefined();
    expect(plannedRecompute({ profile: null, reason: 'no configs' }, 1)).toBeUndefined();
    expect(plannedRecompute(undefined, 1)).toBeUndefined();
  });
});
