// A concept pack trained on a text-to-image model applies to the inpainting UNet (9 input channels) of the same
// widths: the cross-attention K/V an inpainting UNet carries are its base's shapes, so the learned deltas land on
// them and change what the inpainting path paints. A pack from a model of another width is refused before
// anything is built, naming both shapes; training on the inpainting model itself is refused. Tiny random folders in onnxruntime-node; a 2-step DisenDiff run.
import { describe, expect, it } from 'vitest';
import { ModelAssetError } from '../../../src/lib/errors';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import type { PlanarImage } from '../../../src/train/data/image';
import { applyPack } from '../../../src/train/pack/apply';
import { packFromParams } from '../../../src/train/pack/fromParams';
import { preparePersonalizeJob } from '../../../src/train/loop/job';
import { personalize } from '../../../src/train/loop/personalize';
import { TINY_UNET } from '../../../src/onnx/index';
import { nodeOrt } from '../../helpers/ort';

const KEY = 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight';

/** 16×16 RGB with a red square on the left (concept 0) and its mask. */
function scene(): PlanarImage {
  const n = 256;
  const data = new Float32Array(4 * n).fill(-1);
  for (let y = 4; y < 12; y++) for (let x = 2; x < 10; x++) { data[y * 16 + x] = 1; data[3 * n + y * 16 + x] = 1; }
  return { width: 16, height: 16, channels: 4, data };
}

describe('a concept pack on an inpainting UNet', () => {
  it('trained on the 4-channel tiny model, applies to the 9-channel one of the same widths and changes its inpainting; another width is refused', async () => {
    const runner = nodeOrt();
    const base = await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 1 }), 'tiny'));
    const concepts = [{ token: '<cat1>', classWord: 'cat' }];
    const job = await preparePersonalizeJob(runner, base, { target: scene(), concepts, regularisation: [], seed: 1, steps: 2, config: { batchSize: 1, gradAccumulation: 1, learningRate: 1e-2 } });
    const r = await personalize({ ...job, batches: (_i, m) => job.batches(0, m), accumulation: 1, steps: 2 });
    await job.dispose();
    const pack = packFromParams({ params: r.params, baseUnet: base.unet.weights, concepts, metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'tiny', hash: 'ab'.repeat(32) }, createdAt: '2026-12-08T00:00:00Z', settings: { steps: 2, seed: 1 } } });
    expect(pack.deltas.some((d) => d.name === KEY && d.delta.some((v) => v !== 0))).toBe(true);

    const nineFolder = (): MemoryFileSource => new MemoryFileSource(writeDiffusersFolder({ seed: 2, unet: { ...TINY_UNET, in_channels: 9 } }), 'tiny-inpainting');
    const nine = await loadDiffusersFolder(nineFolder());
    expect(nine.unet.config.in_channels).toBe(9);
    // learning happens on the text-to-image base: a run on the inpainting model is refused, saying so
    await expect(preparePersonalizeJob(runner, nine, { target: scene(), concepts, regularisation: [], seed: 1, steps: 2 })).rejects.toThrow(/tiny-inpainting is an inpainting model \(a 9-channel UNet: latent, mask, masked-image latent\); learn concepts on its text-to-image base model/);
    const applied = applyPack(nine, pack);
    const d = pack.deltas.find((x) => x.name === KEY)?.delta as Float32Array;
    const w0 = (await loadDiffusersFolder(nineFolder())).unet.weights.get(KEY, [32, 32]) as Float32Array;
    const w = applied.unet.weights.get(KEY, [32, 32]) as Float32Array;
    expect(Math.max(...w.map((v, i) => Math.abs(v - ((w0[i] as number) + (d[i] as number)))))).toBeLessThan(1e-7);

    const image = Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 37) % 256);
    const mask = new Uint8Array(256);
    for (let y = 0; y < 8; y++) for (let x = 8; x < 16; x++) mask[y * 16 + x] = 255;
    const req = { prompt: 'a <cat1> cat', seed: 3, steps: 3, sampler: 'DDIM', guidanceScale: 3, preview: 'none' as const, init: { data: image, width: 16, height: 16, channels: 3 as const, mask, maskBlur: 0, strength: 1 } };
    const [withPack, without] = [new Txt2ImgPipeline(runner, applied), new Txt2ImgPipeline(runner, await loadDiffusersFolder(nineFolder()))];
    const a = await withPack.generate(req);
    const b = await without.generate({ ...req, prompt: 'a cat' });
    await Promise.all([withPack.dispose(), without.dispose()]);
    expect(a.latents.some((v, i) => Math.abs(v - (b.latents[i] as number)) > 1e-3)).toBe(true);
    // unmasked pixels stay the init's bytes on the 9-channel path too (the final overlay)
    for (let p = 0; p < 256; p++) if (mask[p] === 0) expect([a.rgb[p * 3], a.rgb[p * 3 + 1], a.rgb[p * 3 + 2]]).toEqual([image[p * 3], image[p * 3 + 1], image[p * 3 + 2]]);

    const narrow = await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 2, unet: { ...TINY_UNET, in_channels: 9, block_out_channels: [16, 32] } }), 'narrow-inpainting'));
    expect(() => applyPack(narrow, pack)).toThrow(ModelAssetError);
    expect(() => applyPack(narrow, pack)).toThrow(/concept pack: "down_blocks\.0\.attentions\.0\.transformer_blocks\.0\.attn2\.to_k\.weight" is \[32, 32\] but this UNet's weight is \[16, 32\]; the pack was trained on a model of another width \(this UNet has cross_attention_dim 32 and block_out_channels \[16, 32\]\)/);
  }, 600_000);
});
