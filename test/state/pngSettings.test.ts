// Dropping a PNG on the generation panel: the store action fills the settings from the PNG's metadata through
// the PngSettingsPort (here the same reader the app plugs in), keeps what it cannot use and says so.
import { describe, expect, it } from 'vitest';
import { readGenerationSettings } from '../../src/diffusion/image/generationPng';
import { decodePng, encodePng } from '../../src/diffusion/image/png';
import { infotextOf } from '../../src/diffusion/pipeline/output';
import { samplerNames } from '../../src/diffusion/schedulers/registry';
import { createStudioStore } from '../../src/state/index';

const port = { read: (bytes: Uint8Array) => readGenerationSettings(decodePng(bytes).text) };
const png = (text: Record<string, string>) => encodePng({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, text);
const base = { prompt: 'a cat1 cat on a sofa', negativePrompt: 'blurry', steps: 28, cfgScale: 6, seed: 1234, width: 256, height: 256, model: 'v1-5' };

describe('importGenerationPng', () => {
  it('fills prompt, negative prompt, steps, guidance, seed, size and sampler from A1111 infotext', () => {
    const store = createStudioStore({ pngSettings: port });
    const note = store.getState().importGenerationPng(png({ parameters: infotextOf({ ...base, sampler: 'Euler a' }) }), 'a1111.png');
    expect(note).toBe('Settings from a1111.png (a1111).');
    expect(store.getState().generation.settings).toMatchObject({ prompt: base.prompt, negativePrompt: 'blurry', steps: 28, guidance: 6, seed: 1234, size: 256, sampler: 'Euler a' });
  });

  it.each(samplerNames())('takes every registry sampler from a PNG: %s', (sampler) => {
    const store = createStudioStore({ pngSettings: port });
    expect(store.getState().importGenerationPng(png({ parameters: infotextOf({ ...base, sampler }) }), 'a.png')).toBe('Settings from a.png (a1111).');
    expect(store.getState().generation.settings.sampler).toBe(sampler);
  });

  it('keeps a sampler the engine does not run and a non-square size, saying so', () => {
    const engine = { modelName: 'ddim only', samplers: ['DDIM'] as const, generate: () => new Promise<never>(() => undefined), train: () => new Promise<never>(() => undefined) };
    const store = createStudioStore({ pngSettings: port, engine });
    const before = store.getState().generation.settings;
    const note = store.getState().importGenerationPng(png({ parameters: infotextOf({ ...base, sampler: 'DPM++ 2M Karras', width: 512, height: 768 }) }), 'x.png');
    expect(note).toBe(`Settings from x.png (a1111); size 512x768 is not square; kept ${before.size}; sampler "DPM++ 2M Karras" is not offered here; kept the current one.`);
    expect(store.getState().generation.settings).toMatchObject({ sampler: before.sampler, size: before.size, seed: 1234 });
  });

  it('changes nothing for a PNG without settings, or one that is not a PNG, and says which file', () => {
    const store = createStudioStore({ pngSettings: port });
    const before = store.getState().generation.settings;
    expect(store.getState().importGenerationPng(png({}), 'plain.png')).toBe('plain.png carries no generation settings (no A1111 "parameters", ComfyUI "prompt" or DisenStudio chunk); settings unchanged.');
    expect(store.getState().importGenerationPng(new Uint8Array([1, 2, 3]), 'bad.png')).toMatch(/^bad\.png: not read \(.+\); settings unchanged\.$/);
    expect(store.getState().generation.settings).toEqual(before);
  });
});
