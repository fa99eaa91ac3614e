// Reading generation settings back from PNGs: the studio's own chunk, A1111 infotext (sampler + schedule type
// resolved as A1111 does) and ComfyUI's API graph, each through the PNG codec.
import { describe, expect, it } from 'vitest';
import { readGenerationSettings, samplerFromA1111 } from '../../src/diffusion/image/generationPng';
import { decodePng, encodePng } from '../../src/diffusion/image/png';
import { infotextOf } from '../../src/diffusion/pipeline/output';
import { samplerNames } from '../../src/diffusion/schedulers/registry';

const px = { width: 1, height: 1, channels: 3 as const, data: new Uint8Array(3) };
const viaPng = (text: Record<string, string>) => decodePng(encodePng(px, text)).text;
const base = { prompt: 'a cat1 cat', negativePrompt: 'blurry', steps: 20, cfgScale: 6.5, seed: 42, width: 512, height: 384, model: 'v1-5' };

describe('readGenerationSettings', () => {
  it.each(samplerNames())('round-trips every registry sampler through A1111 infotext alone: %s', (sampler) => {
    const got = readGenerationSettings(viaPng({ parameters: infotextOf({ ...base, sampler, modelHash: 'abcdef0123' }) }));
    expect(got).toMatchObject({ source: 'a1111', ...base, sampler, modelHash: 'abcdef0123', notes: [] });
  });

  it('prefers the studio\'s own chunk', () => {
    const got = readGenerationSettings(viaPng({ parameters: 'x\nSteps: 1, Seed: 2, Size: 8x8', disenstudio: JSON.stringify({ format: 'disenstudio-generation/1', ...base, sampler: 'DDPM' }) }));
    expect(got).toMatchObject({ source: 'disenstudio', ...base, sampler: 'DDPM' });
  });

  it('reads A1111\'s bare "DPM++ 2M" as Karras, as A1111 does, and notes samplers the studio lacks', () => {
    expect(samplerFromA1111('DPM++ 2M', undefined)).toBe('DPM++ 2M Karras');
    expect(samplerFromA1111('DPM++ 2M', 'Automatic')).toBe('DPM++ 2M Karras');
    expect(samplerFromA1111('DPM++ 2M', 'Uniform')).toBe('DPM++ 2M');
    const got = readGenerationSettings({ parameters: 'p\nSteps: 30, Sampler: Heun, CFG scale: 7, Seed: 5, Size: 512x512' });
    expect(got?.sampler).toBeUndefined();
    expect(got?.notes).toEqual(['sampler "Heun" is not one the studio has; kept the current one']);
  });

  it('reads ComfyUI\'s API graph (KSampler, CLIPTextEncode, EmptyLatentImage)', () => {
    const graph = {
      3: { class_type: 'KSampler', inputs: { seed: 7, steps: 25, cfg: 8, sampler_name: 'dpmpp_2m', scheduler: 'karras', positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] } },
      5: { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 640, batch_size: 1 } },
      6: { class_type: 'CLIPTextEncode', inputs: { text: 'embedding:cat1 cat', clip: ['4', 1] } },
      7: { class_type: 'CLIPTextEncode', inputs: { text: 'lowres', clip: ['4', 1] } },
    };
    expect(readGenerationSettings(viaPng({ prompt: JSON.stringify(graph) }))).toEqual({
      source: 'comfyui', prompt: 'embedding:cat1 cat', negativePrompt: 'lowres', steps: 25, sampler: 'DPM++ 2M Karras', cfgScale: 8, seed: 7, width: 512, height: 640, notes: [],
    });
  });

  it('finds nothing in a PNG without settings', () => {
    expect(readGenerationSettings({})).toBeUndefined();
    expect(readGenerationSettings({ prompt: 'not json' })).toBeUndefined();
  });
});
