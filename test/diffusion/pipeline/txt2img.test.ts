// Text-to-image on the tiny random-weight folder in onnxruntime-node: shapes, finiteness, determinism per seed,
// batch = seeds seed + i, progress and previews, cancellation, attention maps, and the bad-input errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ModelAssetError } from '../../../src/lib/errors';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { readSafetensors, writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import { findTokenPositions } from '../../../src/diffusion/text/prompt';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import type { Txt2ImgProgress } from '../../../src/diffusion/pipeline/types';
import { nodeOrt } from '../../helpers/ort';
import { loadTiny } from '../loaders/tinyFolder';

let model: LoadedModel;
let pipe: Txt2ImgPipeline;
const base = { prompt: 'a photo of a cat', seed: 1, steps: 3, sampler: 'DDIM' };

beforeAll(async () => {
  model = await loadTiny({ seed: 5 });
  pipe = new Txt2ImgPipeline(nodeOrt(), model);
});

describe('when generating with the tiny model', () => {
  it('returns a 16×16 RGB image, finite latents and the infotext parameters', async () => {
    const r = await pipe.generate(base);
    expect([r.width, r.height, r.rgb.length, r.latents.length]).toEqual([16, 16, 16 * 16 * 3, 4 * 8 * 8]);
    expect(r.latents.every(Number.isFinite)).toBe(true);
    expect(new Set(r.rgb).size).toBeGreaterThan(10);
    expect(r.parameters).toEqual([{ prompt: base.prompt, negativePrompt: '', steps: 3, sampler: 'DDIM', cfgScale: 7.5, seed: 1, width: 16, height: 16, model: expect.any(String) }]);
    expect(r.warnings).toEqual([]);
  });

  it('gives the same image for the same seed twice and a different one for another seed', async () => {
    const a = await pipe.generate({ ...base, sampler: 'Euler a' });
    const b = await pipe.generate({ ...base, sampler: 'Euler a' });
    const c = await pipe.generate({ ...base, sampler: 'Euler a', seed: 2 });
    expect(b.rgb).toEqual(a.rgb);
    expect(b.latents).toEqual(a.latents);
    expect(c.latents).not.toEqual(a.latents);
  });

  it('makes image i of a batch from seed + i', async () => {
    const batch = await pipe.generate({ ...base, batch: 2, seed: 7 });
    const single = await pipe.generate({ ...base, seed: 8 });
    const second = batch.latents.subarray(4 * 8 * 8);
    let worst = 0;
    for (let i = 0; i < second.length; i++) worst = Math.max(worst, Math.abs((second[i] as number) - (single.latents[i] as number)));
    expect(worst).toBeLessThan(1e-3 * Math.max(...single.latents.map(Math.abs)));
    expect(batch.parameters.map((p) => p.seed)).toEqual([7, 8]);
  });

  it('uses the negative prompt and the guidance scale', async () => {
    const plain = await pipe.generate(base);
    const neg = await pipe.generate({ ...base, negativePrompt: 'dog' });
    const noCfg = await pipe.generate({ ...base, guidanceScale: 1 });
    expect(neg.latents).not.toEqual(plain.latents);
    expect(noCfg.latents).not.toEqual(plain.latents);
    expect(noCfg.latents.every(Number.isFinite)).toBe(true);
    const ignored = await pipe.generate({ ...base, guidanceScale: 1, negativePrompt: 'dog' });
    expect(ignored.latents).toEqual(noCfg.latents);
    expect(ignored.warnings).toEqual(['The negative prompt is not used: CFG scale 1 ≤ 1 turns classifier-free guidance off.']);
  });

  it('reports every step with a latent-size preview', async () => {
    const seen: Txt2ImgProgress[] = [];
    await pipe.generate({ ...base, steps: 4 }, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => [p.stepIndex, p.timestep])).toEqual([[0, 751], [1, 501], [2, 251], [3, 1]]);
    expect(seen[3]?.preview).toMatchObject({ width: 8, height: 8 });
    expect(seen[3]?.preview?.rgb.length).toBe(8 * 8 * 3);
  });

  it('stops between steps when cancelled', async () => {
    const ctrl = new AbortController();
    let steps = 0;
    const run = pipe.generate({ ...base, steps: 5 }, { signal: ctrl.signal, onProgress: () => (++steps === 2 ? ctrl.abort() : undefined) });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps).toBe(2);
  });

  it('gives the same image when the graphs go through ONNX external data', async () => {
    const ext = new Txt2ImgPipeline(nodeOrt(), model, 0);
    try {
      expect((await ext.generate(base)).latents).toEqual((await pipe.generate(base)).latents);
    } finally {
      await ext.dispose();
    }
  });
});

describe('when asking for cross-attention maps', () => {
  it('returns one map per token position at image size, each pixel a distribution over tokens', async () => {
    const r = await pipe.generate({ ...base, attention: true });
    const a = r.attention!;
    expect([a.height, a.width, a.seqLen, a.steps, a.maps.length]).toEqual([16, 16, 77, 3, 77 * 16 * 16]);
    expect(a.tokens).toEqual(['<|startoftext|>', 'a</w>', 'photo</w>', 'of</w>', 'a</w>', 'cat</w>', '<|endoftext|>']);
    expect(a.layers).toHaveLength(4);
    expect(findTokenPositions(a.ids, model.tokenizer.tokenToId('cat</w>')!)).toEqual([5]);
    for (const px of [0, 37, 255]) {
      let sum = 0;
      for (let s = 0; s < 77; s++) sum += a.maps[s * 256 + px] as number;
      expect(sum).toBeCloseTo(1, 4);
    }
    expect(a.maps.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
  });

  it('keeps only the layers at the requested latent resolution, and names the ones that exist', async () => {
    expect((await pipe.generate({ ...base, attention: [4] })).attention!.layers).toEqual(['mid_block.attentions.0.transformer_blocks.0.attn2']);
    await expect(pipe.generate({ ...base, attention: [16] })).rejects.toThrow(/no cross-attention layer at latent resolution 16; this model and size have layers at 8, 4/);
  });

  it('does not change the image', async () => {
    expect((await pipe.generate({ ...base, attention: true })).latents).toEqual((await pipe.generate(base)).latents);
  });
});

describe('when the inputs are bad', () => {
  it('truncates a prompt longer than 77 tokens with a warning', async () => {
    const r = await pipe.generate({ ...base, prompt: Array(90).fill('cat').join(' ') });
    expect(r.warnings.join('\n')).toMatch(/Prompt is 90 tokens; only the first 75 fit/);
  });

  it('names an unknown sampler and lists the valid ones', async () => {
    await expect(pipe.generate({ ...base, sampler: 'Euler A' })).rejects.toThrow(ConfigError);
    await expect(pipe.generate({ ...base, sampler: 'Euler A' })).rejects.toThrow(/Unknown sampler "Euler A". Valid names: .*"Euler a"/);
  });

  it('refuses sizes the model cannot take and bad steps or seeds', async () => {
    await expect(pipe.generate({ ...base, width: 18 })).rejects.toThrow(/width 18 must be a positive multiple of 4/);
    await expect(pipe.generate({ ...base, steps: 0 })).rejects.toThrow(/steps must be a positive integer, got 0/);
    await expect(pipe.generate({ ...base, seed: -1 })).rejects.toThrow(/seed must be an integer/);
  });

  it('refuses weights that do not cover the config instead of inventing them', async () => {
    const files = writeDiffusersFolder({ seed: 5 });
    const vae = readSafetensors(files.get('vae/diffusion_pytorch_model.safetensors')!).tensors;
    const kept = Object.fromEntries(Object.entries(vae).filter(([k]) => !k.startsWith('decoder.conv_out')));
    files.set('vae/diffusion_pytorch_model.safetensors', writeSafetensors(kept));
    // refused when the folder loads, before any graph is built (weightCheck.ts)
    const loading = loadDiffusersFolder(new MemoryFileSource(files, 'tiny'));
    await expect(loading).rejects.toThrow(ModelAssetError);
    await expect(loading).rejects.toThrow(/tiny\/vae\/diffusion_pytorch_model.safetensors: 2 of the \d+ weights the vae config needs are missing \("decoder.conv_out.weight", "decoder.conv_out.bias"\)/);
    // and a model assembled by hand without them is still refused by the pipeline, never completed at random
    const model = await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 5 }), 'tiny'));
    const lacking = { ...model, vae: { ...model.vae, weights: { label: 'hand-made vae', get: (n: string, s: readonly number[]) => (n.startsWith('decoder.conv_out') ? undefined : model.vae.weights.get(n, s)) } } };
    await expect(new Txt2ImgPipeline(nodeOrt(), lacking as typeof model).generate(base)).rejects.toThrow(/hand-made vae lacks 2 weight\(s\) the VAE decoder config needs, e.g. decoder.conv_out.weight/);
  });
});
