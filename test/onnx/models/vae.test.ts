// Tiny AutoencoderKL encoder (+quant_conv) and decoder (+post_quant_conv) built by the toolkit, run in
// onnxruntime-node, against the TS reference; shapes follow the 2^(blocks−1) scale factor.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { Rng } from '../../../src/lib/random';
import { TINY_VAE } from '../../../src/onnx/models/configs';
import { buildVaeDecoder } from '../../../src/onnx/models/vae/decoder';
import { buildVaeEncoder } from '../../../src/onnx/models/vae/encoder';
import { RandomWeights } from '../../../src/onnx/models/weights';
import { refVaeDecoder, refVaeEncoder } from '../../helpers/refModels';
import { tensor } from '../../helpers/refOps';
import { closeness, f32, runBuilder } from '../../helpers/ort';

const weights = new RandomWeights(21);
const rng = new Rng(4);

describe('when encoding a 16×16 image with the tiny VAE', () => {
  const image = rng.uniformArray(3 * 16 * 16, -1, 1);
  const built = buildVaeEncoder(TINY_VAE, { weights, batch: 1, height: 16, width: 16 });

  it('outputs the [mean, logvar] moments at half resolution, matching the reference', async () => {
    expect(built.builder.get('latent_parameters').shape).toEqual([1, 8, 8, 8]);
    const out = await runBuilder(built.builder, { sample: f32([1, 3, 16, 16], image) });
    const y = out.latent_parameters!.data as Float32Array;
    expect(y.every(Number.isFinite)).toBe(true);
    expect(closeness(y, refVaeEncoder(TINY_VAE, weights, tensor([1, 3, 16, 16], image)).data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('rejects an image size the encoder cannot halve', () => {
    expect(() => buildVaeEncoder(TINY_VAE, { batch: 1, height: 15, width: 16 })).toThrow(GraphError);
  });
});

describe('when decoding a 4×4 latent with the tiny VAE', () => {
  const latent = rng.normalArray(2 * 4 * 4 * 4);
  const built = buildVaeDecoder(TINY_VAE, { weights, batch: 2, height: 4, width: 4 });

  it('outputs an image at twice the resolution, matching the reference', async () => {
    expect(built.builder.get('sample').shape).toEqual([2, 3, 8, 8]);
    const out = await runBuilder(built.builder, { latent_sample: f32([2, 4, 4, 4], latent) });
    const y = out.sample!.data as Float32Array;
    expect(y.every(Number.isFinite)).toBe(true);
    expect(closeness(y, refVaeDecoder(TINY_VAE, weights, tensor([2, 4, 4, 4], latent)).data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });
});
