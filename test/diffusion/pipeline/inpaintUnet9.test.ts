// The 9-channel (SD inpainting) UNet path against diffusers: test/fixtures/diffusion/inpaint-unet9.json holds a
// tiny random UNet2DConditionModel (in_channels 9) and the latents after each step of StableDiffusionInpaintPipeline's
// loop, computed by diffusers' own UNet and DDIM files under PyTorch (tools/fixtures/inpaint_unet9.py). Here the
// same weights load as a diffusers folder (unet/config.json in_channels 9) and Txt2ImgPipeline.generate runs on
// onnxruntime-node. The text embeddings and the VAE latents are the fixture's (the text encoder and VAE sessions
// answer with them), so what is compared is this path's own work: binarised mask on the latent grid, masked image
// (checked where the VAE encoder receives it), the concat after scale_model_input, CFG, no blending, strength.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { modelKindLabel } from '../../../src/diffusion/loaders/modelKind';
import { createNodeFileSource } from '../../../src/diffusion/loaders/node';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../../src/diffusion/weights/safetensors';
import type { Feed, HostTensor, Runner, Session } from '../../../src/runtime/index';
import { nodeOrt } from '../../helpers/ort';
import { tinyFolderOnDisk } from '../loaders/tinyFolder';

type Case = { strength: number; steps: number; guidanceScale: number; timesteps: number[]; maskedImage: string; maskLatent: string; latentsPerStep: string[] };
type Fixture = {
  unetConfig: Record<string, unknown>; schedulerConfig: Record<string, unknown>; height: number; width: number; seed: number;
  initBytes: number[]; maskBytes: number[]; maskedImageLatents: string; imageLatents: string; embeds: string; cases: Case[];
  weights: Record<string, { shape: number[]; data: string }>;
};

const fx = JSON.parse(readFileSync(new URL('../../fixtures/diffusion/inpaint-unet9.json', import.meta.url), 'utf8')) as Fixture;
const f32 = (b64: string): Float32Array => {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};
const maxAbs = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
const maxOf = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const C = 4;
const [H, W] = [fx.height, fx.width];
let model: LoadedModel;
/** what the VAE encoder and the UNet were fed, per generate */
let encoderInputs: Float32Array[] = [];
let unetSamples: Float32Array[] = [];

/** `real` with the text encoder answering the fixture's embeddings and the VAE encoder its latents (mean; logvar 0). */
function fixtureRunner(real: Runner, vaeScale: number): Runner {
  const embeds = f32(fx.embeds);
  const moments = (latent: Float32Array): Float32Array => {
    const out = new Float32Array(2 * latent.length);
    latent.forEach((v, i) => (out[i] = v / vaeScale));
    return out;
  };
  const initLat = moments(f32(fx.imageLatents));
  const maskedLat = moments(f32(fx.maskedImageLatents));
  const masked = f32(fx.cases[0]?.maskedImage as string);
  const wrap = (s: Session): Session => ({
    name: s.name, inputNames: s.inputNames, outputNames: s.outputNames, backend: s.backend, dispose: () => s.dispose(),
    run: async (feeds: Record<string, Feed>, o) => {
      if (s.name.includes('text_encoder')) return { last_hidden_state: { dtype: 'float32', dims: [2, 77, 32], data: embeds } };
      if (s.name.includes('vae_encoder')) {
        const x = (feeds.sample as HostTensor).data as Float32Array;
        encoderInputs.push(x.slice());
        const lat = maxAbs(x, masked) < 1e-6 ? maskedLat : initLat;
        return { latent_parameters: { dtype: 'float32', dims: [1, 2 * C, H / 2, W / 2], data: lat } };
      }
      if (s.name.includes('unet')) unetSamples.push(((feeds.sample as HostTensor).data as Float32Array).slice());
      return s.run(feeds, o);
    },
  });
  return { backend: real.backend, upload: (t) => real.upload(t), createSession: async (n, b, o) => wrap(await real.createSession(n, b, o)) };
}

beforeAll(async () => {
  const tensors: Record<string, SafeTensor> = {};
  for (const [k, v] of Object.entries(fx.weights)) tensors[k] = { dtype: 'F32', shape: v.shape, data: f32(v.data) };
  const { dir, cleanup } = await tinyFolderOnDisk({ seed: 5 }, (files) => {
    files.set('unet/config.json', new TextEncoder().encode(JSON.stringify({ _class_name: 'UNet2DConditionModel', ...fx.unetConfig })));
    files.set('unet/diffusion_pytorch_model.safetensors', writeSafetensors(tensors));
    files.set('scheduler/scheduler_config.json', new TextEncoder().encode(JSON.stringify({ _class_name: 'DDIMScheduler', ...fx.schedulerConfig })));
  });
  try {
    model = await loadDiffusersFolder(createNodeFileSource(dir));
  } finally {
    await cleanup();
  }
});

describe('SD inpainting UNet (9 input channels) against diffusers StableDiffusionInpaintPipeline', () => {
  it('loads from a diffusers folder whose unet/config.json says in_channels 9, and says what it is', () => {
    expect(model.unet.config.in_channels).toBe(9);
    expect(modelKindLabel(model)).toBe('inpainting UNet (9 input channels)');
  });

  it('text-to-image on it feeds an all-ones mask and the latent of an all-zero (mid-grey) masked image', async () => {
    encoderInputs = [];
    unetSamples = [];
    const pipe = new Txt2ImgPipeline(fixtureRunner(nodeOrt(), model.vae.config.scaling_factor), model);
    const r = await pipe.generate({ prompt: 'x', seed: 1, steps: 2, sampler: 'DDIM', guidanceScale: 3, width: W, height: H, preview: 'none' });
    await pipe.dispose();
    expect(r.stepsRun).toBe(2);
    expect(encoderInputs).toHaveLength(1);
    expect(encoderInputs[0]?.every((v) => v === 0)).toBe(true);
    const hw = (H / 2) * (W / 2);
    for (const sample of unetSamples) for (const half of [0, 1]) expect(sample.subarray(half * 9 * hw + C * hw, half * 9 * hw + (C + 1) * hw).every((v) => v === 1)).toBe(true);
    expect(r.latents.every(Number.isFinite)).toBe(true);
  });

  for (const [ci, c] of fx.cases.entries()) {
    it(`strength ${c.strength}: ${c.timesteps.length} DDIM steps, CFG ${c.guidanceScale}, latents match within 1e-5 of their scale`, async () => {
      encoderInputs = [];
      unetSamples = [];
      const pipe = new Txt2ImgPipeline(fixtureRunner(nodeOrt(), model.vae.config.scaling_factor), model);
      const r = await pipe.generate({
        prompt: 'x', seed: fx.seed, steps: c.steps, sampler: 'DDIM', guidanceScale: c.guidanceScale, preview: 'none',
        init: { data: Uint8Array.from(fx.initBytes), width: W, height: H, channels: 3, mask: Uint8Array.from(fx.maskBytes), maskBlur: 0, strength: c.strength },
      });
      await pipe.dispose();
      expect(r.stepsRun).toBe(c.timesteps.length);
      // the masked image diffusers builds (init · (mask < 0.5)) is what our VAE encoder was given
      const masked = f32(c.maskedImage);
      expect(encoderInputs.some((x) => maxAbs(x, masked) < 1e-6)).toBe(true);
      // every UNet input: channel 4 is the binarised nearest mask, for both CFG halves
      const hw = (H / 2) * (W / 2);
      const mask = f32(c.maskLatent);
      expect(mask.filter((v) => v === 1).length).toBeGreaterThan(0);
      for (const sample of unetSamples) {
        expect(sample.length).toBe(2 * 9 * hw);
        for (const half of [0, 1]) expect(maxAbs(sample.subarray(half * 9 * hw + C * hw, half * 9 * hw + (C + 1) * hw), mask)).toBe(0);
      }
      const want = f32(c.latentsPerStep.at(-1) as string);
      const err = maxAbs(r.latents, want);
      console.log(`inpaint-unet9 case ${ci} (strength ${c.strength}): max |Δ latents| = ${err.toExponential(2)} of scale ${maxOf(want).toFixed(3)}`);
      expect(err).toBeLessThan(1e-5 * Math.max(1, maxOf(want)));
    });
  }
});
