// Request, progress and result types of the text-to-image pipeline. Types only; no I/O.
// Field names follow A1111's infotext where one exists (steps, sampler, CFG scale, seed, size).
import type { SchedulerOverrides } from '../schedulers/registry';
import type { AttentionMaps } from './attentionMaps';

/**
 * The image to start from (image-to-image) and, optionally, the region to repaint (inpainting). Its size sets the
 * output size. img2img is inpainting with no mask (every pixel repainted).
 */
export type InitImage = {
  /** RGB or RGBA bytes [height, width, channels]; alpha is composited over white */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
  /** one byte per pixel [height, width]: 255 = repaint, 0 = keep (A1111: white is inpainted); absent = img2img */
  mask?: Uint8Array;
  /** A1111 "Denoising strength" in [0, 1]: the share of the schedule that is run; 0 returns the init. Default 0.75 */
  strength?: number;
  /** Gaussian σ in pixels for the mask's feathered edge (A1111 "Mask blur"). Default 4 */
  maskBlur?: number;
  /** repaint where the mask is 0 instead (A1111 "Inpaint not masked"). Default false */
  invertMask?: boolean;
  /**
   * A1111 "Inpaint area: Only masked" (inpaint_full_res): inpaint the mask's bounding box plus `maskedPadding`,
   * widened to the request's aspect and resized to the request's width × height, then paste it back (onlyMasked.ts).
   * The init may then be of any size; the request's size (default the init's) is the size the crop is generated at.
   * Default false
   */
  onlyMasked?: boolean;
  /** pixels added around the mask's box with `onlyMasked` (A1111 "Only masked padding, pixels"), 0…256. Default 32 */
  maskedPadding?: number;
};

export type Txt2ImgRequest = {
  prompt: string;
  /** default "" (the unconditional embedding) */
  negativePrompt?: string;
  /** image i of the batch uses seed + i (A1111 convention) */
  seed: number;
  /** default 20 */
  steps?: number;
  /** CFG scale w; ≤ 1 disables guidance (one UNet pass per step). Default 7.5 */
  guidanceScale?: number;
  /** A1111 sampler name from the registry, e.g. "DDIM", "Euler a", "DPM++ 2M Karras". Default "Euler a" */
  sampler?: string;
  /** extra scheduler fields over the folder's noise schedule, e.g. { eta: 1 } */
  schedulerOverrides?: SchedulerOverrides;
  /** images per run, default 1 */
  batch?: number;
  /** pixels; default the UNet sample_size × VAE factor; must be a multiple of the model's size step */
  width?: number;
  height?: number;
  /** collect per-token cross-attention maps: false (default), true (all attn2 layers) or latent resolutions */
  attention?: boolean | readonly number[];
  /** per-step preview: 'approx' (latent→RGB map, default), 'none' */
  preview?: 'approx' | 'none';
  /** start from this image (img2img), repainting only its mask (inpainting); absent = text-to-image */
  init?: InitImage;
};

export type Txt2ImgProgress = {
  /** 0-based loop position */
  stepIndex: number;
  numSteps: number;
  /** the timestep the UNet saw at this step */
  timestep: number;
  /** preview of the current x₀ estimate: RGB bytes [B, h, w, 3] at latent size; absent when preview = 'none' */
  preview?: { width: number; height: number; rgb: Uint8Array };
};

export type Txt2ImgCallbacks = {
  onProgress?: (p: Txt2ImgProgress) => void;
  /** cancels between steps; the pending promise rejects with the signal's reason */
  signal?: AbortSignal;
};

/** What A1111 writes to the `parameters` PNG chunk, for one image. */
export type GenerationParameters = {
  prompt: string;
  negativePrompt: string;
  steps: number;
  sampler: string;
  cfgScale: number;
  seed: number;
  width: number;
  height: number;
  model: string;
  /** A1111's "Model hash": the first 10 hex digits of the checkpoint file's SHA-256 (single-file models only) */
  modelHash?: string;
  /** embedding name → A1111 short hash (12 hex of the file's SHA-256), for "TI hashes" */
  tiHashes?: Record<string, string>;
  /** LoRA name → A1111 short hash (12 hex of the SHA-256 of the tensor data after the header), for "Lora hashes" */
  loraHashes?: Record<string, string>;
  /** image-to-image and inpainting: A1111 "Denoising strength" */
  denoisingStrength?: number;
  /** inpainting: A1111 "Mask blur" (px) */
  maskBlur?: number;
  /** inpainting: "Inpaint masked" or "Inpaint not masked" (A1111's radio labels) */
  maskMode?: 'Inpaint masked' | 'Inpaint not masked';
  /** inpainting on the masked area only: A1111 "Inpaint area: Only masked" */
  inpaintArea?: 'Only masked';
  /** with inpaintArea: A1111 "Masked area padding" (px) */
  maskedAreaPadding?: number;
};

export type Txt2ImgResult = {
  width: number;
  height: number;
  /** RGB bytes [B, height, width, 3] */
  rgb: Uint8Array;
  /** final latents z₀ in the UNet space [B, C, h, w] (the decoder is fed z₀ / scaling_factor) */
  latents: Float32Array;
  /** one entry per image (seed + i) */
  parameters: GenerationParameters[];
  /** truncation and unknown-token notes from the tokenizer */
  warnings: string[];
  attention?: AttentionMaps;
  /** with init.onlyMasked: the box of the init that was generated at width × height and pasted back (x2, y2 exclusive) */
  crop?: { x1: number; y1: number; x2: number; y2: number };
  /** the timesteps the UNet saw: all of the schedule for txt2img, the last ⌊steps·strength⌋ for an init image */
  stepsRun: number;
  /** setup = validation + building/opening sessions (cached after the first run of a shape) */
  timings: { setupSeconds: number; textSeconds: number; unetSecondsPerStep: number; vaeSeconds: number; totalSeconds: number };
};
