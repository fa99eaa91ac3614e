// The trained VAE encoder as an inference session (stage B data, latent scale): pixels [B,3,64,64] in [−1, 1]
// → posterior means [B,C,16,16] (unscaled, C = latent channels). Also the latent scale 1/std, as SD chose its 0.18215.
import { buildVaeEncoder, encodeModel } from '../../src/onnx/index';
import type { AutoencoderKLConfig, WeightSource } from '../../src/onnx/index';
import type { HostTensor, Runner, Session } from '../../src/runtime/index';
import { BASE_IMAGE, BASE_VAE } from '../../src/train/base/config';
import { batchRng, sceneBatch } from '../../src/train/base/data';

export class VaeEncoderSession {
  private constructor(private readonly session: Session, private readonly batch: number) {}

  /** `config`: the VAE's config (default the default model's BASE_VAE; eval:base passes a loaded model's). */
  static async create(runner: Runner, weights: WeightSource, batch: number, config: AutoencoderKLConfig = BASE_VAE): Promise<VaeEncoderSession> {
    const { model } = buildVaeEncoder(config, { batch, height: BASE_IMAGE, width: BASE_IMAGE, weights });
    return new VaeEncoderSession(await runner.createSession('base_vae_encoder', encodeModel(model)), batch);
  }

  /** Posterior means μ (the first half of the 2·C moment channels). */
  async encodeMean(pixels: Float32Array): Promise<Float32Array> {
    const out = await this.session.run({ sample: { dtype: 'float32', dims: [this.batch, 3, BASE_IMAGE, BASE_IMAGE], data: pixels } });
    const m = (out.latent_parameters as HostTensor).data as Float32Array;
    const per = m.length / this.batch / 2;
    const mu = new Float32Array(this.batch * per);
    for (let b = 0; b < this.batch; b++) mu.set(m.subarray(b * 2 * per, b * 2 * per + per), b * per);
    return mu;
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}

/** 1 / std of the latent means over `batches` seeded batches (stream 2). */
export async function latentScale(enc: VaeEncoderSession, seed: number, batch: number, batches: number): Promise<number> {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let i = 0; i < batches; i++) {
    for (const v of await enc.encodeMean(sceneBatch(batchRng(seed, 2, i), batch).pixels)) {
      s += v;
      s2 += v * v;
      n += 1;
    }
  }
  const mean = s / n;
  return 1 / Math.sqrt(Math.max(s2 / n - mean * mean, 1e-12));
}
