// VAE encoding of training views: a VAE-encoder session on an injected Runner, and
//   z_0 = s·(μ + exp(½·logvar)·ε),  ε ~ N(0, I) from a seeded Rng   (LDM DiagonalGaussianDistribution.sample)
// with s = the VAE's scaling_factor (0.18215 for SD 1.x; docs/disendiff.md §2.3). Regularisation views repeat (only
// the flip varies), so their latents are cached per (image, flip). Never imports onnxruntime.
import { buildVaeEncoder, encodeModel, vaeScaleFactor } from '../../onnx/index';
import type { AutoencoderKLConfig, WeightSource } from '../../onnx/index';
import type { HostTensor, Runner, Session } from '../../runtime/index';
import type { Rng } from '../../lib/random';

export class LatentEncoder {
  /** "reg:<index>:<flip>" → posterior moments [2C, h, w] */
  private readonly cache = new Map<string, Float32Array>();

  private constructor(
    private readonly session: Session,
    private readonly cfg: AutoencoderKLConfig,
    readonly resolution: number,
  ) {}

  /** Builds and loads the encoder for [1, 3, R, R] images. */
  static async create(runner: Runner, cfg: AutoencoderKLConfig, weights: WeightSource, resolution: number): Promise<LatentEncoder> {
    const build = buildVaeEncoder(cfg, { batch: 1, height: resolution, width: resolution, weights, graphName: 'vae_encoder' });
    const session = await runner.createSession('vae_encoder', encodeModel(build.model));
    return new LatentEncoder(session, cfg, resolution);
  }

  /** [C, h, w] latent shape for this resolution. */
  get latentShape(): [number, number, number] {
    const h = this.resolution / vaeScaleFactor(this.cfg);
    return [this.cfg.latent_channels, h, h];
  }

  /** z_0 of one [3, R, R] view; `cacheKey` reuses the moments of a repeated view. */
  async encode(pixels: Float32Array, rng: Rng, cacheKey?: string): Promise<Float32Array> {
    let moments = cacheKey ? this.cache.get(cacheKey) : undefined;
    if (!moments) {
      const input: HostTensor = { dtype: 'float32', dims: [1, 3, this.resolution, this.resolution], data: pixels };
      const out = await this.session.run({ sample: input });
      moments = (out.latent_parameters as HostTensor).data as Float32Array;
      if (cacheKey) this.cache.set(cacheKey, moments);
    }
    const n = moments.length / 2;
    const z = new Float32Array(n);
    const s = this.cfg.scaling_factor;
    for (let i = 0; i < n; i++) {
      const logvar = Math.min(Math.max(moments[n + i] as number, -30), 20);
      z[i] = s * ((moments[i] as number) + Math.exp(0.5 * logvar) * rng.normal());
    }
    return z;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
