// Text-to-image with classifier-free guidance, and on the same loop image-to-image and inpainting: the unrolled
// denoising loop as numbered steps (house-style §11). Takes a Runner (interface) and a loaded model; never imports onnxruntime. Noise comes from seeded Rng streams
// (lib/random.ts), so the same seed gives the same latents in Node and in the browser.
// Reference: diffusers StableDiffusionPipeline.__call__ (encode_prompt → prepare_latents → loop → vae.decode).
//   z_T = σ_init · ε,  ε ~ N(0, I) from Rng(seed + i);  per step: ε̂ = CFG(UNet(scale(z_t), t, [e_u; e_c]));  z_{t−1} = step(ε̂, t, z_t)
// With an init image (docs/inpainting.md): z⁰ = s · mean(E(x_init)); the schedule is cut to its last ⌊n·strength⌋
// timesteps and z = add_noise(z⁰, ε, t_first) (diffusers StableDiffusionImg2ImgPipeline get_timesteps /
// prepare_latents). With a mask m (latent grid, 1 = repaint), after each step z ← m·z + (1 − m)·add_noise(z⁰, ε,
// t_next), and z⁰ itself after the last step (Blended Latent Diffusion, Avrahami et al. 2023, Algorithm 1;
// diffusers StableDiffusionInpaintPipelineLegacy, which blends at the step's own t — here at the level the step
// reached); the decoded image is blended with the init by the feathered pixel mask, so unmasked pixels stay exact.
// An SD inpainting UNet (9 input channels) follows diffusers StableDiffusionInpaintPipeline instead: the UNet sees
// cat(scale(z), mask, masked-image latent) each step (inpaintUnet.ts), no latent blending (diffusers blends only
// when num_channels_unet == 4), strength 1 starts from σ_init · ε; the final pixel overlay is kept (A1111).
import { assert } from '../../lib/assert';
import { ConfigError } from '../../lib/errors';
import { vaeScaleFactor } from '../../onnx/index';
import type { HostTensor, Runner } from '../../runtime/index';
import type { LoadedModel } from '../loaders/diffusersFolder';
import { createSchedulerFromConfig } from '../schedulers/registry';
import type { Scheduler } from '../schedulers/types';
import { CrossAttentionAccumulator } from './attentionMaps';
import { applyGuidance, duplicateBatch } from './guidance';
import { BatchNoise, latentPreview, pixelsToRgb, scale } from './latents';
import { prepareInit } from './initImage';
import type { PreparedInit } from './initImage';
import { blendLatents, blendPixels } from './mask';
import { concatInpaintInput, inpaintCondition } from './inpaintUnet';
import { isInpaintingUnet } from '../loaders/modelKind';
import { createPipelineSessions } from './sessions';
import { resolvePrecision } from './precision';
import type { PrecisionChoice } from './precision';
import type { PipelineSessions, SessionShape } from './sessions';
import type { InitImage, Txt2ImgCallbacks, Txt2ImgRequest, Txt2ImgResult } from './types';
import { cropResizeMask, cropResizeRgb, DEFAULT_MASKED_PADDING, expandCropRegion, MAX_MASKED_PADDING, maskCropRegion, pasteAttention, pasteBack } from './onlyMasked';
import type { CropBox } from './onlyMasked';

type Plan = Required<Omit<Txt2ImgRequest, 'schedulerOverrides' | 'init'>> & { scheduler: Scheduler; shape: SessionShape; init: PreparedInit | undefined };

const f32 = (dims: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', dims, data });
const now = (): number => performance.now() / 1000;

/** A model ready to generate; sessions are built per (batch, size, guidance, attention) and cached. */
export class Txt2ImgPipeline {
  /** session key "B×h×w:doubled:attention" → sessions */
  private readonly cache = new Map<string, Promise<PipelineSessions>>();

  /**
   * @param externalDataBytes graphs with more initializer bytes use ONNX external data (see sessions.ts)
   * @param precisionChoice 'auto' = float16 graphs on WebGPU with shader-f16, float32 elsewhere (precision.ts)
   */
  constructor(
    readonly runner: Runner,
    readonly model: LoadedModel,
    private readonly externalDataBytes?: number,
    readonly precisionChoice: PrecisionChoice = 'auto',
  ) {}

  /** The precision the graphs are built in on this runner. @throws ConfigError for fp16 without shader-f16 */
  get precision(): 'fp16' | 'fp32' {
    return resolvePrecision(this.precisionChoice, this.runner.backend);
  }

  /** Pixel multiple that sizes must respect: VAE factor × 2^(UNet blocks − 1). */
  get sizeStep(): number {
    return vaeScaleFactor(this.model.vae.config) * 2 ** (this.model.unet.config.block_out_channels.length - 1);
  }

  /** Validates the request before anything is built. Throws ConfigError naming the bad field. */
  plan(req: Txt2ImgRequest): Plan {
    const f = vaeScaleFactor(this.model.vae.config);
    const defaultSize = this.model.unet.config.sample_size * f;
    const p = {
      prompt: req.prompt, negativePrompt: req.negativePrompt ?? '', seed: req.seed, steps: req.steps ?? 20,
      guidanceScale: req.guidanceScale ?? 7.5, sampler: req.sampler ?? 'Euler a', batch: req.batch ?? 1,
      width: req.width ?? req.init?.width ?? defaultSize, height: req.height ?? req.init?.height ?? defaultSize, attention: req.attention ?? false, preview: req.preview ?? 'approx',
    };
    if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 0xffffffff) throw new ConfigError(`seed must be an integer in 0…4294967295, got ${p.seed}.`);
    if (!Number.isInteger(p.steps) || p.steps < 1) throw new ConfigError(`steps must be a positive integer, got ${p.steps}.`);
    if (!Number.isInteger(p.batch) || p.batch < 1) throw new ConfigError(`batch must be a positive integer, got ${p.batch}.`);
    if (!Number.isFinite(p.guidanceScale)) throw new ConfigError(`guidanceScale must be a finite number, got ${p.guidanceScale}.`);
    for (const [k, v] of [['width', p.width], ['height', p.height]] as const) {
      if (!Number.isInteger(v) || v <= 0 || v % this.sizeStep !== 0) throw new ConfigError(`${k} ${v} must be a positive multiple of ${this.sizeStep} for this model (e.g. ${defaultSize}).`);
    }
    const { in_channels: unetIn } = this.model.unet.config;
    const latentC = this.model.vae.config.latent_channels;
    if (unetIn !== latentC && !isInpaintingUnet(unetIn, latentC)) {
      throw new ConfigError(`This UNet takes ${unetIn} input channels but the VAE makes ${latentC}-channel latents; the pipeline drives a UNet of ${latentC} (text-to-image) or ${2 * latentC + 1} (inpainting: latent, mask, masked-image latent) input channels (docs/inpainting.md).`);
    }
    const init = req.init ? prepareInit(req.init, p.width, p.height, f, p.steps) : undefined;
    const scheduler = createSchedulerFromConfig(p.sampler, p.steps, this.model.scheduler.overrides, req.schedulerOverrides);
    const shape: SessionShape = { batch: p.batch, isDoubled: p.guidanceScale > 1, latentHeight: p.height / f, latentWidth: p.width / f, attention: p.attention, encoder: init !== undefined || this.isInpaintingUnet };
    return { ...p, scheduler, shape, init };
  }

  /** True for an SD inpainting UNet (9 input channels: latent, mask, masked-image latent). */
  get isInpaintingUnet(): boolean {
    return isInpaintingUnet(this.model.unet.config.in_channels, this.model.vae.config.latent_channels);
  }

  private sessions(shape: SessionShape): Promise<PipelineSessions> {
    const key = `${shape.batch}x${shape.latentHeight}x${shape.latentWidth}:${shape.isDoubled}:${JSON.stringify(shape.attention)}:${shape.encoder === true}`;
    let s = this.cache.get(key);
    if (!s) {
      s = createPipelineSessions(this.runner, this.model, shape, this.externalDataBytes, this.precision);
      s.catch(() => this.cache.delete(key));
      this.cache.set(key, s);
    }
    return s;
  }

  /** Builds and opens the sessions for `req` ahead of time (the first generate otherwise pays for it). */
  async prepare(req: Txt2ImgRequest): Promise<void> {
    await this.sessions(this.plan(req).shape);
  }

  /**
   * Generates `batch` images.
   * @throws ConfigError (bad size, steps, unknown sampler), ModelAssetError (weights missing), RuntimeFailure,
   *         or the AbortSignal's reason when cancelled.
   * @example const r = await pipe.generate({ prompt: 'a photo of a cat', seed: 1, steps: 20 });
   */
  async generate(req: Txt2ImgRequest, cb: Txt2ImgCallbacks = {}): Promise<Txt2ImgResult> {
    return req.init?.onlyMasked ? this.generateOnlyMasked(req, cb) : this.generateAt(req, cb, true);
  }

  /**
   * "Inpaint area: Only masked" (onlyMasked.ts): the feathered mask's box ± padding at the request's aspect is cut
   * out, generated at the request's size with that crop of the mask (already feathered: blur 0 inside), and pasted
   * back through the full-size feathered mask. Attention maps are pasted into the box (0 outside); latents are the crop's.
   */
  private async generateOnlyMasked(req: Txt2ImgRequest, cb: Txt2ImgCallbacks): Promise<Txt2ImgResult> {
    const i = req.init as InitImage;
    const pad = i.maskedPadding ?? DEFAULT_MASKED_PADDING;
    if (!i.mask) throw new ConfigError('init.onlyMasked ("Inpaint area: Only masked") needs init.mask: the region whose box is inpainted.');
    if (!Number.isInteger(pad) || pad < 0 || pad > MAX_MASKED_PADDING) throw new ConfigError(`init.maskedPadding must be an integer in 0…${MAX_MASKED_PADDING} px, got ${pad}.`);
    const [iw, ih] = [i.width, i.height];
    const full = prepareInit(i, iw, ih, 1, req.steps ?? 20);
    const feathered = (full.mask as NonNullable<PreparedInit['mask']>).feathered;
    const [W, H] = [req.width ?? iw, req.height ?? ih];
    const box = expandCropRegion(maskCropRegion(feathered, iw, ih, pad) as CropBox, W, H, iw, ih);
    const crop = { data: cropResizeRgb(full.rgb, iw, box, W, H), width: W, height: H, channels: 3 as const, mask: cropResizeMask(feathered, iw, box, W, H), maskBlur: 0, strength: full.strength };
    const r = await this.generateAt({ ...req, width: W, height: H, init: crop }, cb, false);
    const rgb = r.stepsRun === 0 ? pasteBack(r.rgb, W, H, full.rgb, iw, ih, box, new Float32Array(iw * ih)) : pasteBack(r.rgb, W, H, full.rgb, iw, ih, box, feathered);
    const parameters = r.parameters.map((q) => ({ ...q, maskBlur: full.maskBlur, maskMode: full.invertMask ? ('Inpaint not masked' as const) : ('Inpaint masked' as const), inpaintArea: 'Only masked' as const, maskedAreaPadding: pad }));
    return { ...r, width: iw, height: ih, rgb, parameters, crop: box, ...(r.attention ? { attention: pasteAttention(r.attention, box, iw, ih) } : {}) };
  }

  /** The loop at the request's size; `pixelBlend` false leaves the decoded image unblended (the crop of onlyMasked). */
  private async generateAt(req: Txt2ImgRequest, cb: Txt2ImgCallbacks, pixelBlend: boolean): Promise<Txt2ImgResult> {
    const t0 = now();
    // 1. Validate and make the scheduler (unknown sampler names fail here, before any build).
    const p = this.plan(req);
    const { batch: B, shape } = p;
    const { latent_channels: C, scaling_factor: vaeScale } = this.model.vae.config;
    const [h, w] = [shape.latentHeight, shape.latentWidth];
    const U = shape.isDoubled ? 2 * B : B;
    cb.signal?.throwIfAborted();
    // 2. Tokenize prompt and negative prompt (truncation → warning, never an error).
    const tok = this.model.tokenizer;
    const cond = tok.encode(p.prompt);
    const uncond = tok.encode(p.negativePrompt);
    const warnings = [...cond.warnings, ...uncond.warnings.map((m) => `negative prompt: ${m}`)];
    if (!shape.isDoubled && p.negativePrompt.trim()) warnings.push(`The negative prompt is not used: CFG scale ${p.guidanceScale} ≤ 1 turns classifier-free guidance off.`);
    // 3. Sessions for this shape (cached).
    const s = await this.sessions(shape);
    const tSetup = now();
    // 4. Text embeddings [U, S, D]: uncond × B then cond × B (or cond × B without guidance).
    const S = tok.maxLength;
    const rows = shape.isDoubled ? [...Array<number[]>(B).fill(uncond.ids), ...Array<number[]>(B).fill(cond.ids)] : Array<number[]>(B).fill(cond.ids);
    const ids: HostTensor = { dtype: 'int32', dims: [U, S], data: Int32Array.from(rows.flat()) };
    const embeds = (await s.text.run({ input_ids: ids })).last_hidden_state as HostTensor;
    const tText = now();
    // 5. Initial latents: z_T = σ_init · ε (txt2img), or z⁰ noised to the first kept timestep (init image).
    const noise = new BatchNoise(p.seed, B, C * h * w);
    const init = p.init;
    const timesteps = p.scheduler.timesteps.slice(init?.beginIndex ?? 0);
    const start = init ? await this.initLatents(s, init, noise, shape) : undefined;
    const nine = this.isInpaintingUnet ? await this.inpaintInput(s, init, shape) : undefined;
    let z: Float32Array;
    if (init && start) {
      if (init.beginIndex > 0 && timesteps.length > 0) p.scheduler.setBeginIndex?.(init.beginIndex);
      // diffusers StableDiffusionInpaintPipeline.prepare_latents: strength 1 (is_strength_max) starts from noise alone
      if (nine && init.strength === 1) z = scale(start.eps, p.scheduler.initNoiseSigma);
      else z = timesteps.length > 0 ? p.scheduler.addNoise(start.z0, start.eps, [timesteps[0] as number]) : start.z0.slice();
      if (init.mask && !init.mask.latent.some((v) => v > 0)) {
        const f = vaeScaleFactor(this.model.vae.config);
        warnings.push(`The mask covers no ${f}×${f}-pixel latent cell by more than half: only the feathered pixel blend changes the image. Paint a larger region.`);
      }
    } else {
      z = scale(noise.next(), p.scheduler.initNoiseSigma);
    }
    // 6. Denoising loop.
    const acc = p.attention ? new CrossAttentionAccumulator(s.attentionLayers, B, shape.isDoubled, S) : undefined;
    for (const [stepIndex, t] of timesteps.entries()) {
      cb.signal?.throwIfAborted();
      // 6a. scale the input (sigma samplers) and duplicate it for the two guidance halves
      //     (an inpainting UNet: then cat(·, mask, masked-image latent) along channels)
      const zIn = p.scheduler.scaleModelInput(z, t);
      const zU = shape.isDoubled ? duplicateBatch(zIn) : zIn;
      const sample = nine ? f32([U, 2 * C + 1, h, w], concatInpaintInput(zU, C, h * w, nine.maskLatent, nine.maskedLatent)) : f32([U, C, h, w], zU);
      const feeds = { sample, timestep: f32([U], new Float32Array(U).fill(t)), encoder_hidden_states: embeds };
      // 6b. UNet ε-prediction (and attention probabilities when requested)
      const out = await s.unet.run(feeds);
      const eps = (out.out_sample as HostTensor).data as Float32Array;
      // 6c. guidance: ε̂ = ε_u + w(ε_c − ε_u)
      const guided = shape.isDoubled ? applyGuidance(eps, p.guidanceScale) : eps;
      // 6d. scheduler step (ancestral samplers consume the per-image noise stream)
      const r = p.scheduler.step(guided, t, z, noise.next());
      z = r.prevSample;
      // 6e. inpainting: keep the unmasked latents on the init's noising path at the level the step reached
      if (init?.mask && start && !nine) {
        const next = timesteps[stepIndex + 1];
        blendLatents(z, next === undefined ? start.z0 : p.scheduler.addNoise(start.z0, start.eps, [next]), init.mask.latent);
      }
      if (acc) acc.add(Object.fromEntries(s.attentionLayers.map((l) => [l.output, (out[l.output] as HostTensor).data as Float32Array])));
      // 6f. progress with a cheap preview of x₀
      const preview = p.preview === 'approx' ? { width: w, height: h, rgb: latentPreview(scale(r.predOriginalSample, 1 / vaeScale), B, C, h, w) } : undefined;
      cb.onProgress?.({ stepIndex, numSteps: timesteps.length, timestep: t, preview });
    }
    const tLoop = now();
    // 7. Decode: x = D(z₀ / scaling_factor), pixels [−1, 1] → RGB bytes; with an init, blend by the feathered mask
    //    (unmasked pixels = the init exactly); strength 0 runs nothing and returns the init itself.
    let rgb: Uint8Array;
    if (init && timesteps.length === 0) {
      rgb = new Uint8Array(B * init.rgb.length);
      for (let b = 0; b < B; b++) rgb.set(init.rgb, b * init.rgb.length);
    } else {
      const decoded = (await s.vae.run({ latent_sample: f32([B, C, h, w], scale(z, 1 / vaeScale)) })).sample as HostTensor;
      rgb = pixelsToRgb(decoded.data as Float32Array, B, p.height, p.width);
      if (init?.mask && pixelBlend) rgb = blendPixels(rgb, init.rgb, init.mask.feathered);
    }
    const tEnd = now();
    // 8. Attention maps at image size, and the infotext parameters per image.
    const attention = acc?.finish(p.height, p.width, cond.tokens, cond.ids);
    const parameters = Array.from({ length: B }, (_, i) => ({
      prompt: p.prompt, negativePrompt: p.negativePrompt, steps: p.steps, sampler: p.sampler, cfgScale: p.guidanceScale,
      seed: p.seed + i, width: p.width, height: p.height, model: this.model.name,
      ...(this.model.checkpointSha256 ? { modelHash: this.model.checkpointSha256.slice(0, 10) } : {}),
      ...(init ? { denoisingStrength: init.strength } : {}),
      ...(init?.mask ? { maskBlur: init.maskBlur, maskMode: init.invertMask ? ('Inpaint not masked' as const) : ('Inpaint masked' as const) } : {}),
    }));
    const timings = { setupSeconds: tSetup - t0, textSeconds: tText - tSetup, unetSecondsPerStep: (tLoop - tText) / Math.max(timesteps.length, 1), vaeSeconds: tEnd - tLoop, totalSeconds: tEnd - t0 };
    return { width: p.width, height: p.height, rgb, latents: z, parameters, warnings, attention, stepsRun: timesteps.length, timings };
  }

  /**
   * z⁰ = s · mean(E(x_init)) repeated for the batch, and the per-image noise ε (the seed's first draw, as z_T's in
   * txt2img). Deviation: the posterior mean (diffusers retrieve_latents sample_mode "argmax"), not a sample, so the
   * init's latent does not depend on the seed.
   */
  private async initLatents(s: PipelineSessions, init: PreparedInit, noise: BatchNoise, shape: SessionShape): Promise<{ z0: Float32Array; eps: Float32Array }> {
    const { latent_channels: C, scaling_factor: vaeScale } = this.model.vae.config;
    const f = vaeScaleFactor(this.model.vae.config);
    const [h, w] = [shape.latentHeight, shape.latentWidth];
    assert(s.vaeEncoder !== undefined, () => 'the VAE encoder session was not opened for an init image');
    const out = await s.vaeEncoder.run({ sample: f32([1, 3, h * f, w * f], init.pixels) });
    const moments = (out.latent_parameters as HostTensor).data as Float32Array;
    const per = C * h * w;
    const z0 = new Float32Array(shape.batch * per);
    for (let i = 0; i < per; i++) z0[i] = vaeScale * (moments[i] as number);
    for (let b = 1; b < shape.batch; b++) z0.copyWithin(b * per, 0, per);
    return { z0, eps: noise.next() };
  }

  /**
   * An inpainting UNet's extra inputs: the binary latent-grid mask and s · mean(E(masked image)) (inpaintUnet.ts).
   * Without a mask (img2img) or an init (txt2img) the mask is all ones and the masked image all zeros, as diffusers
   * makes them for a white mask.
   */
  private async inpaintInput(s: PipelineSessions, init: PreparedInit | undefined, shape: SessionShape): Promise<{ maskLatent: Float32Array; maskedLatent: Float32Array }> {
    const { scaling_factor: vaeScale } = this.model.vae.config;
    const f = vaeScaleFactor(this.model.vae.config);
    const [H, W] = [shape.latentHeight * f, shape.latentWidth * f];
    const cond = inpaintCondition(init?.pixels ?? new Float32Array(3 * H * W), init?.mask?.feathered, W, H, f);
    assert(s.vaeEncoder !== undefined, () => 'the VAE encoder session was not opened for an inpainting UNet');
    const moments = ((await s.vaeEncoder.run({ sample: f32([1, 3, H, W], cond.maskedPixels) })).latent_parameters as HostTensor).data as Float32Array;
    const per = this.model.vae.config.latent_channels * shape.latentHeight * shape.latentWidth;
    const maskedLatent = new Float32Array(per);
    for (let i = 0; i < per; i++) maskedLatent[i] = vaeScale * (moments[i] as number);
    return { maskLatent: cond.maskLatent, maskedLatent };
  }

  /** Releases every cached session. */
  async dispose(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    for (const s of all) await s.then((x) => x.dispose(), () => undefined);
  }
}
