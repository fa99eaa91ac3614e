// Training graphs of the default model (issue 5): stage A = VAE encoder → reparameterised z → decoder with
// L = MSE(x̂, x) + β·KL (Kingma & Welling 2014, eq. 10 with a Gaussian posterior); stage B = CLIP text encoder
// + DDPM noising (Ho et al. 2020, eq. 4) → UNet with the ε-MSE (eq. 14), all weights trainable. Pure graph
// construction with composeGraphs + buildGradientGraph, as src/train/graphs/buildTrainGraph.ts.
import { alphasCumprod } from '../../diffusion/schedulers/betas';
import { buildClipText, buildGradientGraph, buildUnet, buildVaeDecoder, buildVaeEncoder, composeGraphs, GraphBuilder, op } from '../../onnx/index';
import type { BackwardResult, Graph, WeightSource } from '../../onnx/index';
import { addNoiseGraph } from '../losses/diffusionMse';
import { BASE_BETAS, BASE_SEQ_LEN, BASE_TEXT, BASE_UNET, BASE_VAE, IMAGE_SIZE, LATENT_SIZE } from './recipe';

/** A training graph: `trainable` maps graph names (prefixed by compose) to state-dict names. */
export type BaseTrainGraph = { backward: BackwardResult; trainable: Record<string, string>; dataInputs: string[] };

const DEC = 'dec';
const UNET = 'unet';

/** Renames value `from` to `to` everywhere in `g` (plain data copy). */
function renameValue(g: Graph, from: string, to: string): Graph {
  const r = (x: string): string => (x === from ? to : x);
  return {
    ...g,
    nodes: g.nodes.map((n) => ({ ...n, inputs: n.inputs.map(r), outputs: n.outputs.map(r) })),
    outputs: g.outputs.map((o) => ({ ...o, name: r(o.name) })),
  };
}

function finish(g: Graph, trainable: Record<string, string>, keep: string[]): BaseTrainGraph {
  const backward = buildGradientGraph(g, { loss: 'loss', wrt: Object.keys(trainable), keepOutputs: keep });
  const names = new Set(Object.keys(trainable));
  const dataInputs = backward.graph.inputs.map((v) => v.name).filter((n) => !names.has(n));
  return { backward, trainable, dataInputs };
}

/**
 * Stage A. Inputs: sample [B,3,64,64] in [−1, 1], noise [B,4,16,16]. Outputs: loss, recon_mse, kl.
 * KL per element: ½(μ² + σ² − 1 − log σ²), averaged.
 */
export function buildVaeTrainGraph(batch: number, weights: WeightSource, klWeight: number): BaseTrainGraph {
  const enc = buildVaeEncoder(BASE_VAE, { batch, height: IMAGE_SIZE, width: IMAGE_SIZE, weights });
  const b = enc.builder;
  const c = BASE_VAE.latent_channels;
  b.scope('reparam', () => {
    const lp = b.get('latent_parameters');
    const mean = op.Slice(lp, [0], [c], [1]);
    const logvar = op.Slice(lp, [c], [2 * c], [1]);
    const eps = b.input('noise', 'float32', [batch, c, LATENT_SIZE, LATENT_SIZE]);
    const std = op.Exp(op.Mul(logvar, b.scalar(0.5)));
    b.output(op.Add(mean, op.Mul(std, eps)), 'z');
    const kl = op.Sub(op.Add(op.Mul(mean, mean), op.Exp(logvar)), op.Add(logvar, b.scalar(1)));
    b.output(op.Mul(op.ReduceMean(kl, undefined, false), b.scalar(0.5)), 'kl');
  });
  const dec = buildVaeDecoder(BASE_VAE, { batch, height: LATENT_SIZE, width: LATENT_SIZE, weights });
  const merged = composeGraphs(b.graph, renameValue(dec.model.graph, 'sample', 'recon'), {
    name: 'base_vae_train', prefix: DEC, keepFirstOutputs: ['kl'], wire: { latent_sample: 'z' },
  });
  const m = GraphBuilder.fromGraph(merged);
  m.scope('vae_loss', () => {
    const d = op.Sub(m.get('recon'), m.get('sample'));
    const mse = op.ReduceMean(op.Mul(d, d), undefined, false);
    m.output(mse, 'recon_mse');
    m.output(op.Add(mse, op.Mul(m.get('kl'), m.scalar(klWeight))), 'loss');
  });
  const trainable: Record<string, string> = {};
  for (const p of enc.params) trainable[p.name] = p.name;
  for (const p of dec.params) trainable[`${DEC}/${p.name}`] = p.name;
  return finish(m.graph, trainable, ['recon_mse', 'kl']);
}

/**
 * Stage B. Inputs: input_ids int32 [B,S], latents / noise [B,4,16,16] (scaled latents), timestep float32 [B].
 * Output loss = mean (ε − ε_θ(z_t, t, c))².
 */
export function buildDiffusionTrainGraph(batch: number, weights: WeightSource): BaseTrainGraph {
  const text = buildClipText(BASE_TEXT, { batch, seqLen: BASE_SEQ_LEN, weights, graphName: 'base_diffusion_train' });
  const b = text.builder;
  const shape = [batch, BASE_UNET.in_channels, LATENT_SIZE, LATENT_SIZE];
  b.scope('noising', () => {
    const z0 = b.input('latents', 'float32', shape);
    const eps = b.input('noise', 'float32', shape);
    const t = b.input('timestep', 'float32', [batch]);
    b.output(addNoiseGraph(z0, eps, t, alphasCumprod(BASE_BETAS)), 'noisy_latents');
  });
  const unet = buildUnet(BASE_UNET, { batch, height: LATENT_SIZE, width: LATENT_SIZE, seqLen: BASE_SEQ_LEN, weights });
  const merged = composeGraphs(b.graph, unet.model.graph, {
    name: 'base_diffusion_train', prefix: UNET, keepFirstOutputs: [], wire: { encoder_hidden_states: 'last_hidden_state', sample: 'noisy_latents' },
  });
  const m = GraphBuilder.fromGraph(merged);
  m.scope('eps_loss', () => {
    const d = op.Sub(m.get('out_sample'), m.get('noise'));
    m.output(op.ReduceMean(op.Mul(d, d), undefined, false), 'loss');
  });
  const trainable: Record<string, string> = {};
  for (const p of text.params) trainable[p.name] = p.name;
  for (const p of unet.params) trainable[`${UNET}/${p.name}`] = p.name;
  return finish(m.graph, trainable, []);
}
