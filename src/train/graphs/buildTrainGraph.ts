// The DisenDiff training graph (docs/disendiff.md §10): ONE graph = noising + CLIP text encoder with trainable
// `extra_token_embeds` → UNet with every attn2 to_k/to_v as an input and SOS K/V detached → L_base + λ·(Σ L_bind
// + L_s&s) + λ_attn·L_attn, differentiated w.r.t. the K/V weights and the modifier rows (docs/disendiff.md §2.1–§2.7,
// §2.10). Pure graph construction: text and UNet graphs are joined with composeGraphs (src/onnx/optim).
import { alphasCumprod } from '../../diffusion/index';
import { buildClipText, buildGradientGraph, buildUnet, composeGraphs, GraphBuilder, op, ParamTable } from '../../onnx/index';
import type { BackwardResult, ClipTextConfig, CrossAttentionOutput, Graph, UNet2DConditionConfig, Var, WeightsOption } from '../../onnx/index';
import { allScaleMaps, meanSelectedMaps, normalizeMaps, squareMaps } from '../attention/graph';
import type { DisenDiffConfig } from '../config';
import { calibrationGraph } from '../losses/disendiff';
import { addNoiseGraph, maskedMseGraph } from '../losses/diffusionMse';
import { maskAttentionGraph } from '../losses/maskGuidance';
import { unetBlockSegment, unetLayerSegment } from '../memory/segments';
import { applyKvLora } from './kvLora';
import type { KvLoraPlan } from './kvLora';
import { selectAttentionLayers } from './layers';
import type { LayerSelection } from './layers';

export type TrainGraphOptions = {
  unet: UNet2DConditionConfig;
  text: ClipTextConfig;
  /** number of concepts n (1–4): rows of extra_token_embeds */
  concepts: number;
  batch: number;
  /** latent height and width */
  height: number;
  width: number;
  /** tokens per prompt (default text.max_position_embeddings) */
  seqLen?: number;
  unetWeights?: WeightsOption;
  textWeights?: WeightsOption;
  /** seed of the random init of weights the sources lack */
  seed?: number;
  /** default 'second-lowest' (SD 1.5 at 64×64 latents: the five 16×16 layers) */
  layers?: LayerSelection;
  config: Pick<DisenDiffConfig, 'terms' | 'attentionLossWeight' | 'maskAttentionWeight' | 'gaussianSigma' | 'gaussianKernelSize' | 'minMaxEps' | 'iouSmooth' | 'betas' | 'mapLayers' | 'frozenMapKeys' | 'kvLora'>;
  /** detach SOS K/V in every attn2 (default true, as released; false only for ablations and finite-difference checks) */
  detachSosKv?: boolean;
  /** also output the processed maps `maps` [B, 2n, h·w] (modifiers, then class maps) */
  exposeMaps?: boolean;
  /**
   * Activation recomputation in the backward (src/onnx/autodiff/recompute.ts): 'layers' recomputes each UNet
   * ResNet / transformer block / sampler from its input, 'blocks' each down/mid/up block; default none.
   * 'layers' gives bit-identical gradients on the CPU EP (test/train/recompute.test.ts, ORT optimizations 'all');
   * 'blocks' is bit-identical with ORT optimizations off but not with 'all' (tiny model, 16×16, batch 2: 4 of the
   * K/V gradients differ by up to 2e-3 relative; ORT fuses the rewritten graph differently).
   */
  recompute?: RecomputeGranularity;
};

/** What `TrainGraphOptions.recompute` checkpoints: one UNet layer (ResNet / transformer block) or one UNet block. */
export type RecomputeGranularity = 'layers' | 'blocks';

/**
 * Feeds of one micro-batch, by graph input name (only those the enabled terms need exist):
 * latents [B,4,H,W], noise [B,4,H,W], timestep float32 [B] (integers 0..T−1), input_ids int32 [B,S],
 * select float32 [B,S,2n], present float32 [B,n], mask float32 [B,1,H,W], concept_masks float32 [B,n,h·w].
 */
export type TrainGraph = {
  /** forward + backward graph for TrainingSession (outputs: loss, grad/<trainable>…, terms…) */
  backward: BackwardResult;
  /** extra_token_embeds, then the K/V weight names (state-dict names, [C, cross_attention_dim]); with kvLora the
   *  factors instead (per weight: "….lora_down.weight" [r, in], "….lora_up.weight" [out, r]) */
  trainable: string[];
  /** with config.kvLora: rank, α and which factors stand for which K/V weight (graphs/kvLora.ts) */
  kvLora?: KvLoraPlan;
  /** data inputs to feed per micro-batch */
  dataInputs: string[];
  /** outputs kept after the gradients: the enabled terms (loss_base, loss_bind, loss_separate, loss_mask_attention, unweighted) and `maps` when exposeMaps */
  terms: string[];
  attentionLayers: CrossAttentionOutput[];
  /** attention-map resolution [h, w] */
  mapSize: [number, number];
};

/** Text encoder + noising prelude: outputs last_hidden_state and noisy_latents. */
function prelude(o: TrainGraphOptions): Graph {
  const text = buildClipText(o.text, { batch: o.batch, seqLen: o.seqLen, extraTokenRows: o.concepts, weights: o.textWeights, seed: o.seed, graphName: 'disendiff_train' });
  const b = text.builder;
  const shape = [o.batch, o.unet.in_channels, o.height, o.width];
  b.scope('noising', () => {
    const z0 = b.input('latents', 'float32', shape);
    const eps = b.input('noise', 'float32', shape);
    const t = b.input('timestep', 'float32', [o.batch]);
    b.output(addNoiseGraph(z0, eps, t, alphasCumprod(o.config.betas)), 'noisy_latents');
  });
  return b.graph;
}

type Terms = { base: Var; bind?: Var; separate?: Var; maskAttention?: Var; maps?: Var };

/** The loss terms on the merged graph's builder (notation as in losses/*). */
function lossTerms(b: GraphBuilder, o: TrainGraphOptions, layers: { probs: Var; resolution: [number, number] }[], mapSize: [number, number]): Terms {
  const c = o.config;
  const n = o.concepts;
  const seq = o.seqLen ?? o.text.max_position_embeddings;
  const mask = c.terms.maskedBase ? b.input('mask', 'float32', [o.batch, 1, o.height, o.width]) : undefined;
  const out: Terms = { base: maskedMseGraph(b.get('out_sample'), b.get('noise'), mask) };
  const calibrate = c.terms.bind || (c.terms.separate && n >= 2);
  if (!calibrate && !c.terms.maskAttention && !o.exposeMaps) return out;
  const select = b.input('select', 'float32', [o.batch, seq, 2 * n]);
  const present = b.input('present', 'float32', [o.batch, n]);
  const raw = c.mapLayers === 'all-scales' ? allScaleMaps(layers, select, mapSize) : meanSelectedMaps(layers.map((l) => l.probs), select);
  if (calibrate || o.exposeMaps) {
    const maps = normalizeMaps(raw, mapSize[0], mapSize[1], { eps: c.minMaxEps, blur: c.terms.blur, sigma: c.gaussianSigma, kernelSize: c.gaussianKernelSize });
    const modifier = op.Slice(maps, [0], [n], [1]);
    const cls0 = op.Slice(maps, [n], [2 * n], [1]);
    const squared = c.terms.suppression ? squareMaps(cls0) : cls0;
    const cls = c.terms.suppression && c.terms.twiceSquaring ? squareMaps(squared) : squared;
    Object.assign(out, calibrationGraph(modifier, cls, present, { bind: c.terms.bind, separate: c.terms.separate, smooth: c.iouSmooth }));
    if (o.exposeMaps) out.maps = op.Concat([modifier, cls], 1);
  }
  if (c.terms.maskAttention) {
    const masks = b.input('concept_masks', 'float32', [o.batch, n, mapSize[0] * mapSize[1]]);
    out.maskAttention = maskAttentionGraph(op.Slice(raw, [0], [n], [1]), masks, present);
  }
  return out;
}

/** loss = L_base + λ·(L_bind + L_s&s) + λ_attn·L_attn; returns the output names of the terms. */
function emitLoss(b: GraphBuilder, t: Terms, c: TrainGraphOptions['config']): string[] {
  let loss = t.base;
  const names = [b.output(t.base, 'loss_base').name];
  for (const [v, name, w] of [[t.bind, 'loss_bind', c.attentionLossWeight], [t.separate, 'loss_separate', c.attentionLossWeight], [t.maskAttention, 'loss_mask_attention', c.maskAttentionWeight]] as const) {
    if (!v) continue;
    names.push(b.output(v, name).name);
    loss = op.Add(loss, op.Mul(v, b.scalar(w)));
  }
  b.output(loss, 'loss');
  if (t.maps) names.push(b.output(t.maps, 'maps').name);
  return names;
}

/**
 * Builds the DisenDiff training graph and its gradient graph.
 * @throws GraphError for bad sizes, a layer selection that matches nothing or mixes resolutions
 * @throws MissingGradientError when an op on the K/V → loss path has no gradient rule
 * @example const tg = buildTrainGraph({ unet: TINY_UNET, text: TINY_CLIP_TEXT, concepts: 2, batch: 1, height: 8, width: 8, config: DISENDIFF_DEFAULTS });
 */
export function buildTrainGraph(o: TrainGraphOptions): TrainGraph {
  const unetOptions = {
    batch: o.batch, height: o.height, width: o.width, seqLen: o.seqLen ?? o.text.max_position_embeddings,
    weights: o.unetWeights, seed: o.seed, exposeCrossAttention: true, kvAsInputs: true as boolean | readonly string[], detachSosKv: o.detachSosKv ?? true,
  };
  let unet = buildUnet(o.unet, unetOptions);
  if (o.config.frozenMapKeys) {
    // the map layers' to_k stay initializers (frozen); every other attn2 K/V stays a trainable input
    const mapLayers = new Set(selectAttentionLayers(unet.crossAttention, o.layers ?? 'second-lowest').map((l) => l.layer));
    const kept = unet.kvInputs.filter((n) => !(n.endsWith('.to_k.weight') && mapLayers.has(n.slice(0, -'.to_k.weight'.length))));
    unet = buildUnet(o.unet, { ...unetOptions, kvAsInputs: kept });
  }
  const merged = composeGraphs(prelude(o), unet.model.graph, {
    name: 'disendiff_train', prefix: 'unet', keepFirstOutputs: [], wire: { encoder_hidden_states: 'last_hidden_state', sample: 'noisy_latents' },
  });
  let kvLora: KvLoraPlan | undefined;
  if (o.config.kvLora) {
    // the K/V inputs become W0 + (α/r)·up·down, W0 the same values the UNet would have used (source, else its seeded init)
    const base = new ParamTable(new GraphBuilder('kv_lora_base'), o.unetWeights, o.seed);
    kvLora = applyKvLora(merged, unet.kvInputs, o.config.kvLora, (name, shape) => base.values(name, shape));
  }
  const layers = selectAttentionLayers(unet.crossAttention, o.layers ?? 'second-lowest');
  const mapSize = (layers[0] as CrossAttentionOutput).resolution;
  const b = GraphBuilder.fromGraph(merged);
  const fed = o.config.mapLayers === 'all-scales' ? unet.crossAttention : layers;
  const terms = b.scope('disendiff', () => emitLoss(b, lossTerms(b, o, fed.map((l) => ({ probs: b.get(l.output), resolution: l.resolution })), mapSize), o.config));
  const trainable = ['extra_token_embeds', ...(kvLora ? kvLora.factors.flatMap((f) => [f.down, f.up]) : unet.kvInputs)];
  const recompute = o.recompute === undefined ? undefined : o.recompute === 'layers' ? unetLayerSegment : unetBlockSegment;
  const backward = buildGradientGraph(b.graph, { loss: 'loss', wrt: trainable, keepOutputs: terms, recompute });
  const dataInputs = backward.graph.inputs.map((v) => v.name).filter((name) => !trainable.includes(name));
  return { backward, trainable, dataInputs, terms, attentionLayers: layers, mapSize, ...(kvLora ? { kvLora } : {}) };
}
