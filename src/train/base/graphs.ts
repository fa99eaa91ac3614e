// Training graphs of the default model (public/models/default), differentiated by the project's autodiff:
//  stage A, AutoencoderKL: (μ, log σ²) = E(x); z = μ + σ·ε; x̂ = D(z)
//    L_A = mean|x̂ − x| + mean(x̂ − x)² + λ_KL · ½·mean(μ² + σ² − 1 − log σ²)   (VAE, Kingma & Welling 2014, eq. 10)
//  stage A′, decoder fine-tune on the frozen encoder's means (as SD's ft-MSE decoder; the latent space stays):
//    L_A′ = mean|D(μ) − x| + mean(D(μ) − x)²
//  stage B, text encoder + UNet: z_t = √ᾱ_t·z_0 + √(1−ᾱ_t)·ε; L_B = mean_b w_t·mean(ε − ε_θ(z_t, t, τ(y)))²  (DDPM eq. 4,
//    14; w_t = min(SNR_t, γ)/SNR_t, Min-SNR-γ (Hang et al. 2023), γ = BASE_MIN_SNR_GAMMA)
//    Deviation, optional (`objectWeight`): the squared error is weighted per latent pixel by an input `loss_weight`
//    [B,1,16,16] (1 + α·objectMap in tools/trainBase), so object outlines outweigh the flat background.
//  stage C, grounding fine-tune (optional `grounding`): L_C = L_B + λ_token·L_token + λ_pixel·L_pixel, TokenCompose's
//    token and pixel grounding terms on every cross-attention layer (src/train/losses/grounding.ts), so that each
//    object word's cross-attention map finds its object (what DisenDiff's calibration assumes of the frozen model).
// Pure graph construction; parameter names inside the merged graphs carry a part prefix (see PART_PREFIX).
import { alphasCumprod } from '../../diffusion/index';
import { buildClipText, buildGradientGraph, buildUnet, buildVaeDecoder, buildVaeEncoder, composeGraphs, GraphBuilder, op } from '../../onnx/index';
import type { BackwardResult, ParamEntry, Var, WeightSource } from '../../onnx/index';
import { addNoiseGraph } from '../losses/diffusionMse';
import { groundingLossGraph } from '../losses/grounding';
import { minSnrMseGraph, minSnrWeights } from '../losses/minSnr';
import { GROUND_SLOTS } from './grounding';
import { BASE_BETAS, BASE_CLIP_TEXT, BASE_MIN_SNR_GAMMA, BASE_IMAGE, BASE_LATENT, BASE_SEQ_LEN, BASE_UNET, BASE_VAE } from './config';

/** KL weight of stage A (small: the latent only needs to stay near N(0, I), not match it). */
export const KL_WEIGHT = 1e-4;

/** A training graph: the backward graph and the trainable names, each with its part and state-dict name. */
export type BaseTrainGraph = { backward: BackwardResult; params: { graphName: string; part: 'vae' | 'text_encoder' | 'unet'; name: string; shape: number[] }[] };

/** The prefix composeGraphs gives the second graph's initializers. */
const PART_PREFIX = { vae: 'dec/', unet: 'unet/' };

type Sources = { vae?: WeightSource; text?: WeightSource; unet?: WeightSource; seed?: number };

/** mean|x̂ − x| + mean(x̂ − x)², the reconstruction loss of stages A and A′. */
function reconstructionLoss(decoded: Var, target: Var): Var {
  const d = op.Sub(decoded, target);
  return op.Add(op.ReduceMean(op.Abs(d), undefined, false), op.ReduceMean(op.Mul(d, d), undefined, false));
}

function vaeLoss(b: GraphBuilder): void {
  const rec = reconstructionLoss(b.get('decoded'), b.get('sample'));
  const moments = b.get('latent_parameters');
  const lc = BASE_VAE.latent_channels;
  const mu = op.Slice(moments, [0], [lc], [1]);
  const logvar = op.Clip(op.Slice(moments, [lc], [2 * lc], [1]), -30, 20);
  const kl = op.Mul(op.ReduceMean(op.Sub(op.Sub(op.Add(op.Mul(mu, mu), op.Exp(logvar)), b.scalar(1)), logvar), undefined, false), b.scalar(0.5));
  b.output(rec, 'loss_rec');
  b.output(kl, 'loss_kl');
  b.output(op.Add(rec, op.Mul(kl, b.scalar(KL_WEIGHT))), 'loss');
}

/** Stage A: inputs `sample` [B,3,64,64] in [−1, 1] and `noise` [B,C,16,16] (C = latent channels); outputs loss, loss_rec, loss_kl. */
export function buildVaeTrainGraph(batch: number, s: Sources = {}): BaseTrainGraph {
  const enc = buildVaeEncoder(BASE_VAE, { batch, height: BASE_IMAGE, width: BASE_IMAGE, weights: s.vae, seed: s.seed, graphName: 'base_vae_train' });
  const eb = enc.builder;
  const lc = BASE_VAE.latent_channels;
  eb.scope('reparam', () => {
    const m = eb.get('latent_parameters');
    const mu = op.Slice(m, [0], [lc], [1]);
    const std = op.Exp(op.Mul(op.Clip(op.Slice(m, [lc], [2 * lc], [1]), -30, 20), eb.scalar(0.5)));
    const eps = eb.input('noise', 'float32', [batch, lc, BASE_LATENT, BASE_LATENT]);
    eb.output(op.Add(mu, op.Mul(std, eps)), 'z');
  });
  const dec = buildVaeDecoder(BASE_VAE, { batch, height: BASE_LATENT, width: BASE_LATENT, weights: s.vae, seed: s.seed });
  dec.builder.output(op.Identity(dec.builder.get('sample')), 'decoded');
  const decGraph = { ...dec.builder.graph, outputs: dec.builder.graph.outputs.filter((o) => o.name === 'decoded') };
  const merged = composeGraphs(eb.graph, decGraph, { name: 'base_vae_train', prefix: 'dec', keepFirstOutputs: ['latent_parameters'], wire: { latent_sample: 'z' } });
  const b = GraphBuilder.fromGraph(merged);
  b.scope('loss', () => vaeLoss(b));
  const params = [...enc.params.map((p) => entry('vae', p, '')), ...dec.params.map((p) => entry('vae', p, PART_PREFIX.vae))];
  const backward = buildGradientGraph(b.graph, { loss: 'loss', wrt: params.map((p) => p.graphName), keepOutputs: ['loss_rec', 'loss_kl'] });
  return { backward, params };
}

/** Stage A′: input `latent_sample` [B,C,16,16] (unscaled posterior means), `sample` [B,3,64,64]; output loss. */
export function buildDecoderTrainGraph(batch: number, s: Sources = {}): BaseTrainGraph {
  const dec = buildVaeDecoder(BASE_VAE, { batch, height: BASE_LATENT, width: BASE_LATENT, weights: s.vae, seed: s.seed, graphName: 'base_decoder_train' });
  const b = dec.builder;
  b.scope('loss', () => b.output(reconstructionLoss(b.get('sample'), b.input('target', 'float32', [batch, 3, BASE_IMAGE, BASE_IMAGE])), 'loss'));
  const graph = { ...b.graph, outputs: b.graph.outputs.filter((o) => o.name === 'loss') };
  const params = dec.params.map((p) => entry('vae', p, ''));
  return { backward: buildGradientGraph(graph, { loss: 'loss', wrt: params.map((p) => p.graphName) }), params };
}

function entry(part: 'vae' | 'text_encoder' | 'unet', p: ParamEntry, prefix: string): BaseTrainGraph['params'][number] {
  return { graphName: `${prefix}${p.name}`, part, name: p.name, shape: p.shape };
}

/** Stage C's term weights (λ_token, λ_pixel). */
export type GroundingWeights = { token: number; pixel: number };

/** Sides of the UNet's cross-attention levels (BASE_LATENT halved per CrossAttnDownBlock2D level). */
export const GROUND_SIDES = BASE_UNET.down_block_types.flatMap((t, i) => (t === 'CrossAttnDownBlock2D' ? [BASE_LATENT >> i] : []));

/** Stage B: inputs `latents`, `noise` [B,C,16,16], `timestep` float32 [B], `input_ids` int32 [B,32] and, with
 * `pixelWeighted`, `loss_weight` [B,1,16,16]; output loss. With `grounding` (stage C) also `ground_select`
 * [B,32,K], `ground_mask_<side>` [B,K,side²] per GROUND_SIDES, `ground_token_weight` and `ground_pixel_weight` [B,K]
 * (K = GROUND_SLOTS; src/train/base/grounding.ts makes them), and the outputs loss_diffusion, loss_token, loss_pixel. */
export function buildDenoiserTrainGraph(batch: number, s: Sources = {}, pixelWeighted = false, grounding?: GroundingWeights): BaseTrainGraph {
  const text = buildClipText(BASE_CLIP_TEXT, { batch, seqLen: BASE_SEQ_LEN, weights: s.text, seed: s.seed, graphName: 'base_denoiser_train' });
  const b0 = text.builder;
  const shape = [batch, BASE_UNET.in_channels, BASE_LATENT, BASE_LATENT];
  b0.scope('noising', () => {
    const z0 = b0.input('latents', 'float32', shape);
    const eps = b0.input('noise', 'float32', shape);
    const t = b0.input('timestep', 'float32', [batch]);
    b0.output(addNoiseGraph(z0, eps, t, alphasCumprod(BASE_BETAS)), 'noisy_latents');
  });
  const unet = buildUnet(BASE_UNET, { batch, height: BASE_LATENT, width: BASE_LATENT, seqLen: BASE_SEQ_LEN, weights: s.unet, seed: s.seed, exposeCrossAttention: grounding !== undefined });
  const merged = composeGraphs(b0.graph, unet.model.graph, { name: 'base_denoiser_train', prefix: 'unet', keepFirstOutputs: [], wire: { encoder_hidden_states: 'last_hidden_state', sample: 'noisy_latents' } });
  const b = GraphBuilder.fromGraph(merged);
  const weights = minSnrWeights(alphasCumprod(BASE_BETAS), BASE_MIN_SNR_GAMMA);
  const keep: string[] = [];
  b.scope('loss', () => {
    const pixel = pixelWeighted ? b.input('loss_weight', 'float32', [batch, 1, BASE_LATENT, BASE_LATENT]) : undefined;
    const diffusion = minSnrMseGraph(b.get('out_sample'), b.get('noise'), b.get('timestep'), weights, pixel);
    if (!grounding) {
      b.output(diffusion, 'loss');
      return;
    }
    const k = GROUND_SLOTS;
    const masks = new Map(GROUND_SIDES.map((side) => [`${side}×${side}`, b.input(`ground_mask_${side}`, 'float32', [batch, k, side * side])]));
    const g = groundingLossGraph(unet.crossAttention.map((l) => ({ probs: b.get(l.output), resolution: l.resolution })), {
      select: b.input('ground_select', 'float32', [batch, BASE_SEQ_LEN, k]), masks,
      tokenWeight: b.input('ground_token_weight', 'float32', [batch, k]), pixelWeight: b.input('ground_pixel_weight', 'float32', [batch, k]),
    });
    keep.push(b.output(op.Identity(diffusion), 'loss_diffusion').name, b.output(g.token, 'loss_token').name, b.output(g.pixel, 'loss_pixel').name);
    b.output(op.Add(diffusion, op.Add(op.Mul(g.token, b.scalar(grounding.token)), op.Mul(g.pixel, b.scalar(grounding.pixel)))), 'loss');
  });
  const params = [...text.params.map((p) => entry('text_encoder', p, '')), ...unet.params.map((p) => entry('unet', p, PART_PREFIX.unet))];
  return { backward: buildGradientGraph(b.graph, { loss: 'loss', wrt: params.map((p) => p.graphName), keepOutputs: keep }), params };
}
