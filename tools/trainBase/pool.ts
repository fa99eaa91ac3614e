// Stage B's sample pool (train:base --pool N): rendering a scene and VAE-encoding it costs about 40 % of a stage B
// step on 2 cores (measured: 120 ms render + 45 ms encode per batch of 16, against a 255 ms fused train step), so
// instead of a fresh batch every step, stage B keeps a window of N encoded scenes that slides by REFRESH new ones
// every REFRESH_EVERY steps and draws each batch from it. A scene stays in the window N·REFRESH_EVERY/REFRESH steps,
// so at batch 16 it is drawn 4 times on average whatever N (each time with its own noise, timestep and caption
// dropout), and data costs a quarter. Deviation from the fresh-scene recipe, as any finite-dataset diffusion training.
// Deterministic and resumable: the window of step i holds scenes [REFRESH·⌊i/REFRESH_EVERY⌋, … + N) of stream 4,
// scene g drawn from batchRng(seed, 4, g), so a resumed run rebuilds exactly the window a straight run has there.
import type { Rng } from '../../src/lib/random';
import { BASE_COUNT_WEIGHTS, BASE_LATENT } from '../../src/train/base/config';
import { batchRng, sceneBatch } from '../../src/train/base/data';

/** New scenes per slide, and steps between slides (16 every 4 steps: 4 scenes per step instead of 16). */
export const POOL_REFRESH = 16;
export const POOL_REFRESH_EVERY = 4;

/** One encoded scene: scaled latent [C·16·16], caption, objectMap [16·16]. */
export type PoolSample = { latent: Float32Array; caption: string; objects: Float32Array };

/** Encodes POOL_REFRESH scenes' pixels [16,3,64,64] in [−1, 1] to scaled latents [16·C·16·16]. */
export type EncodeScaled = (pixels: Float32Array) => Promise<Float32Array>;

export class ScenePool {
  private readonly samples = new Map<number, PoolSample>();

  constructor(private readonly encode: EncodeScaled, private readonly seed: number, readonly size: number) {
    if (size < POOL_REFRESH || size % POOL_REFRESH) throw new RangeError(`--pool must be a positive multiple of ${POOL_REFRESH}; got ${size}`);
  }

  /** Index of the window's first scene at `step`. */
  static windowStart(step: number): number {
    return POOL_REFRESH * Math.floor(step / POOL_REFRESH_EVERY);
  }

  /** Scenes g … g + 15 (one render + encode call). */
  private async generate(g: number): Promise<void> {
    const scenes = Array.from({ length: POOL_REFRESH }, (_, k) => sceneBatch(batchRng(this.seed, 4, g + k), 1, BASE_COUNT_WEIGHTS));
    const pixels = new Float32Array(POOL_REFRESH * 3 * 64 * 64);
    scenes.forEach((s, k) => pixels.set(s.pixels, k * s.pixels.length));
    const z = await this.encode(pixels);
    const per = z.length / POOL_REFRESH;
    scenes.forEach((s, k) => this.samples.set(g + k, { latent: z.slice(k * per, (k + 1) * per), caption: s.captions[0] as string, objects: s.objects }));
  }

  /** Slides the window to `step` (generating what it lacks, dropping what fell out), then draws `batch` scenes
   * uniformly with replacement using `rng`. */
  async draw(step: number, batch: number, rng: Rng): Promise<PoolSample[]> {
    const start = ScenePool.windowStart(step);
    for (const g of this.samples.keys()) if (g < start || g >= start + this.size) this.samples.delete(g);
    for (let g = start; g < start + this.size; g += POOL_REFRESH) if (!this.samples.has(g)) await this.generate(g);
    return Array.from({ length: batch }, () => this.samples.get(start + rng.int(0, this.size - 1)) as PoolSample);
  }
}

/** Concatenates drawn samples into stage B's latent [B·C·16·16] and objectMap [B·16·16] buffers. */
export function stackSamples(samples: readonly PoolSample[]): { latents: Float32Array; objects: Float32Array; captions: string[] } {
  const per = (samples[0] as PoolSample).latent.length;
  const latents = new Float32Array(samples.length * per);
  const objects = new Float32Array(samples.length * BASE_LATENT * BASE_LATENT);
  samples.forEach((s, b) => {
    latents.set(s.latent, b * per);
    objects.set(s.objects, b * BASE_LATENT * BASE_LATENT);
  });
  return { latents, objects, captions: samples.map((s) => s.caption) };
}
