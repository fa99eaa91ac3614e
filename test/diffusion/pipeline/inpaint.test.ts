// Image-to-image and inpainting (blended latents) on the tiny random-weight folder in onnxruntime-node: the loop
// against a hand-rolled DDIM reference (own ᾱ table, own add_noise, own step, own blends), unmasked pixels exact
// after the final blend, strength 0 = the init, attention maps kept, samplers that start mid-schedule, and the
// bad-input messages.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors';
import { Rng } from '../../../src/lib/random';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { createPipelineSessions } from '../../../src/diffusion/pipeline/sessions';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { infotextOf } from '../../../src/diffusion/pipeline/output';
import type { HostTensor } from '../../../src/runtime/index';
import type { InitImage } from '../../../src/diffusion/pipeline/types';
import { nodeOrt } from '../../helpers/ort';
import { loadTiny } from '../loaders/tinyFolder';

const W = 16;
const C = 4;
const h = 8;
let model: LoadedModel;
let pipe: Txt2ImgPipeline;

/** A smooth 16×16 RGB pattern (the init image). */
function pattern(): Uint8Array {
  const out = new Uint8Array(W * W * 3);
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) out.set([x * 15, y * 15, 128 + 6 * (x - y)], (y * W + x) * 3);
  return out;
}

/** 255 on the top-left 8×8 block, 0 elsewhere. */
function cornerMask(): Uint8Array {
  const m = new Uint8Array(W * W);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) m[y * W + x] = 255;
  return m;
}

const base = { prompt: 'a photo of a cat', seed: 3, steps: 10, sampler: 'DDIM', guidanceScale: 5 };

beforeAll(async () => {
  model = await loadTiny({ seed: 5 });
  pipe = new Txt2ImgPipeline(nodeOrt(), model);
});

/** ᾱ_t for SD's scaled_linear betas (0.00085 → 0.012, T = 1000), in float64. */
function alphaBar(): Float64Array {
  const [a, b] = [Math.sqrt(0.00085), Math.sqrt(0.012)];
  const out = new Float64Array(1000);
  let prod = 1;
  for (let t = 0; t < 1000; t++) {
    const beta = (a + ((b - a) * t) / 999) ** 2;
    prod *= 1 - beta;
    out[t] = prod;
  }
  return out;
}

/**
 * The blended-latent loop written out independently of the pipeline: DDIM (η = 0, leading spacing, offset 1,
 * ᾱ_final = ᾱ_0), strength 0.5 of 10 steps = timesteps 401…1, the mask's latent copy = its top-left 4×4 cells.
 */
async function reference(init: Uint8Array, latentMask: (y: number, x: number) => number, pixelMask: Float32Array): Promise<{ latents: Float32Array; rgb: Uint8Array }> {
  const s = await createPipelineSessions(nodeOrt(), model, { batch: 1, isDoubled: true, latentHeight: h, latentWidth: h, attention: false, encoder: true });
  try {
    const tok = model.tokenizer;
    const ids = Int32Array.from([...tok.encode('').ids, ...tok.encode(base.prompt).ids]);
    const embeds = (await s.text.run({ input_ids: { dtype: 'int32', dims: [2, 77], data: ids } })).last_hidden_state as HostTensor;
    const px = new Float32Array(3 * W * W);
    for (let p = 0; p < W * W; p++) for (let c = 0; c < 3; c++) px[c * W * W + p] = ((init[p * 3 + c] as number) / 255) * 2 - 1;
    const moments = ((await s.vaeEncoder!.run({ sample: { dtype: 'float32', dims: [1, 3, W, W], data: px } })).latent_parameters as HostTensor).data as Float32Array;
    const sf = model.vae.config.scaling_factor;
    const z0 = Float32Array.from({ length: C * h * h }, (_, i) => sf * (moments[i] as number));
    const eps = new Rng(base.seed).normalArray(C * h * h);
    const acp = alphaBar();
    const noised = (t: number): Float32Array => z0.map((v, i) => Math.sqrt(acp[t]!) * v + Math.sqrt(1 - acp[t]!) * eps[i]!);
    const ts = [401, 301, 201, 101, 1];
    let z = noised(401);
    for (const [k, t] of ts.entries()) {
      const sample = new Float32Array(2 * z.length);
      sample.set(z);
      sample.set(z, z.length);
      const out = ((await s.unet.run({ sample: { dtype: 'float32', dims: [2, C, h, h], data: sample }, timestep: { dtype: 'float32', dims: [2], data: new Float32Array([t, t]) }, encoder_hidden_states: embeds })).out_sample as HostTensor).data as Float32Array;
      const n = z.length;
      const aT = acp[t]!;
      const aP = t - 100 >= 0 ? acp[t - 100]! : acp[0]!;
      const next = ts[k + 1];
      const bg = next === undefined ? z0 : noised(next);
      z = z.map((x, i) => {
        const e = out[i]! + base.guidanceScale * (out[n + i]! - out[i]!);
        const x0 = (x - Math.sqrt(1 - aT) * e) / Math.sqrt(aT);
        const stepped = Math.sqrt(aP) * x0 + Math.sqrt(1 - aP) * e;
        const p = i % (h * h);
        const m = latentMask(Math.floor(p / h), p % h);
        return m * stepped + (1 - m) * bg[i]!;
      });
    }
    const dec = ((await s.vae.run({ latent_sample: { dtype: 'float32', dims: [1, C, h, h], data: z.map((v) => v / sf) } })).sample as HostTensor).data as Float32Array;
    const rgb = new Uint8Array(W * W * 3);
    for (let p = 0; p < W * W; p++) {
      for (let c = 0; c < 3; c++) {
        const g = Math.round(Math.min(1, Math.max(0, dec[c * W * W + p]! / 2 + 0.5)) * 255);
        const m = pixelMask[p]!;
        rgb[p * 3 + c] = Math.round(m * g + (1 - m) * init[p * 3 + c]!);
      }
    }
    return { latents: z, rgb };
  } finally {
    await s.dispose();
  }
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
};

describe('when inpainting the tiny model with blended latents', () => {
  const init = pattern();
  const mask = cornerMask();
  const inpaint = (o: Partial<InitImage> = {}): InitImage => ({ data: init, width: W, height: W, channels: 3, mask, strength: 0.5, maskBlur: 0, ...o });

  it('equals the hand-rolled DDIM blended-latent loop, latents and pixels', async () => {
    const r = await pipe.generate({ ...base, init: inpaint() });
    const ref = await reference(init, (y, x) => (y < 4 && x < 4 ? 1 : 0), Float32Array.from(mask, (v) => v / 255));
    expect(r.stepsRun).toBe(5);
    const scaleZ = Math.max(...ref.latents.map(Math.abs));
    expect(maxAbs(r.latents, ref.latents)).toBeLessThan(1e-4 * scaleZ);
    expect(maxAbs(r.rgb, ref.rgb)).toBeLessThanOrEqual(1);
    // the masked block changed, the rest is the init byte for byte
    let changedInside = 0;
    for (let p = 0; p < W * W; p++) {
      const inside = mask[p] === 255;
      for (let c = 0; c < 3; c++) {
        if (inside && r.rgb[p * 3 + c] !== init[p * 3 + c]) changedInside++;
        if (!inside) expect(r.rgb[p * 3 + c]).toBe(init[p * 3 + c]);
      }
    }
    expect(changedInside).toBeGreaterThan(64);
  });

  it('keeps every pixel the feathered mask does not reach exactly, with mask blur', async () => {
    const r = await pipe.generate({ ...base, init: inpaint({ maskBlur: 1 }) });
    // σ = 1 px: kernel radius 3, so columns and rows ≥ 8 + 3 are untouched
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) {
      if (x < 11 && y < 11) continue;
      for (let c = 0; c < 3; c++) expect(r.rgb[(y * W + x) * 3 + c]).toBe(init[(y * W + x) * 3 + c]);
    }
    expect(maxAbs(r.rgb.subarray(0, 3), init.subarray(0, 3))).toBeGreaterThan(0);
  });

  it('repaints the other side with "Inpaint not masked"', async () => {
    const r = await pipe.generate({ ...base, init: inpaint({ invertMask: true }) });
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let c = 0; c < 3; c++) expect(r.rgb[(y * W + x) * 3 + c]).toBe(init[(y * W + x) * 3 + c]);
    expect(maxAbs(r.rgb.subarray((15 * W + 15) * 3), init.subarray((15 * W + 15) * 3))).toBeGreaterThan(0);
    expect(r.parameters[0]).toMatchObject({ denoisingStrength: 0.5, maskBlur: 0, maskMode: 'Inpaint not masked' });
    expect(infotextOf(r.parameters[0]!)).toMatch(/Model: [^,]+, Denoising strength: 0.5, Mask blur: 0, Mask mode: Inpaint not masked, /);
  });

  it('returns the init itself at strength 0, without running the UNet', async () => {
    const r = await pipe.generate({ ...base, init: inpaint({ strength: 0 }) });
    expect(r.stepsRun).toBe(0);
    expect(r.rgb).toEqual(init);
    const img = await pipe.generate({ ...base, batch: 2, init: { data: init, width: W, height: W, channels: 3, strength: 0 } });
    expect(img.rgb).toEqual(Uint8Array.from([...init, ...init]));
  });

  it('still returns per-token attention maps over the steps it ran', async () => {
    const r = await pipe.generate({ ...base, attention: true, init: inpaint({ strength: 0.3 }) });
    const a = r.attention!;
    expect([a.steps, a.height, a.width]).toEqual([3, W, W]);
    let sum = 0;
    for (let t = 0; t < 77; t++) sum += a.maps[t * W * W + 40] as number;
    expect(sum).toBeCloseTo(1, 4);
  });
});

describe('when starting from an image without a mask (img2img)', () => {
  const init = pattern();

  it('runs ⌊steps·strength⌋ steps from the init on every sampler, deterministic per seed', async () => {
    for (const sampler of ['DDIM', 'Euler a', 'DPM++ 2M Karras', 'Euler']) {
      const seen: number[] = [];
      const req = { ...base, sampler, init: { data: init, width: W, height: W, channels: 3 as const, strength: 0.75 } };
      const a = await pipe.generate(req, { onProgress: (p) => seen.push(p.timestep) });
      const b = await pipe.generate(req);
      expect(a.stepsRun).toBe(7);
      expect(seen).toHaveLength(7);
      expect(a.latents.every(Number.isFinite)).toBe(true);
      expect(b.rgb).toEqual(a.rgb);
      expect(a.parameters[0]).toMatchObject({ denoisingStrength: 0.75 });
      expect(a.parameters[0]?.maskBlur).toBeUndefined();
    }
  });

  it('ends nearer the init latent at low strength than at full strength (random VAE: compared in latent space)', async () => {
    const latents = async (strength: number): Promise<Float32Array> => (await pipe.generate({ ...base, init: { data: init, width: W, height: W, channels: 3, strength } })).latents;
    const z0 = await latents(0);
    const dist = (z: Float32Array): number => Math.hypot(...z.map((v, i) => v - (z0[i] as number)));
    const [low, high] = [dist(await latents(0.2)), dist(await latents(1))];
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(0.5 * high);
  });

  it('composites RGBA over white', async () => {
    const rgba = new Uint8Array(W * W * 4).fill(0);
    const r = await pipe.generate({ ...base, init: { data: rgba, width: W, height: W, channels: 4, strength: 0 } });
    expect(r.rgb.every((v) => v === 255)).toBe(true);
  });
});

describe('when the init or mask is bad', () => {
  const init = pattern();
  const good: InitImage = { data: init, width: W, height: W, channels: 3, mask: cornerMask() };

  it('refuses a UNet of neither 4 nor 9 input channels by name instead of failing in the runtime', async () => {
    const seven = { ...model, unet: { ...model.unet, config: { ...model.unet.config, in_channels: 7 } } };
    const p7 = new Txt2ImgPipeline(nodeOrt(), seven);
    await expect(p7.generate({ ...base, init: good })).rejects.toThrow(/takes 7 input channels but the VAE makes 4-channel latents; the pipeline drives a UNet of 4 \(text-to-image\) or 9 \(inpainting: latent, mask, masked-image latent\)/);
  });

  it('names the field', async () => {
    await expect(pipe.generate({ ...base, width: 32, height: 32, init: good })).rejects.toThrow(/init image is 16×16 but the request is 32×32/);
    await expect(pipe.generate({ ...base, init: { ...good, mask: new Uint8Array(10) } })).rejects.toThrow(/init.mask has 10 values but the image is 16×16 \(256 pixels\)/);
    await expect(pipe.generate({ ...base, init: { ...good, mask: new Uint8Array(W * W) } })).rejects.toThrow(/init.mask marks no pixel to repaint; paint the region/);
    await expect(pipe.generate({ ...base, init: { ...good, mask: new Uint8Array(W * W).fill(255), invertMask: true } })).rejects.toThrow(/"Inpaint not masked"/);
    await expect(pipe.generate({ ...base, init: { ...good, strength: 1.5 } })).rejects.toThrow(/init.strength \(denoising strength\) must be in 0…1, got 1.5/);
    await expect(pipe.generate({ ...base, init: { ...good, maskBlur: -1 } })).rejects.toThrow(/init.maskBlur must be in 0…64/);
    await expect(pipe.generate({ ...base, init: { ...good, data: init.subarray(3) } })).rejects.toThrow(ConfigError);
  });
});
