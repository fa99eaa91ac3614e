// Wires a personalization run from a loaded model: concepts registered in the tokenizer, the DisenDiff training
// graph (src/train/graphs), initial parameters (modifier rows §2.2, base K/V), the seeded dataset (src/train/data),
// VAE latents, t ~ U{0..T−1} and ε per sample, micro-batch feeds (src/train/feeds) with the augmentation's loss mask
// multiplied into the "mask" input, and a TrainingSession factory. Defaults: docs/disendiff.md §2.8.
import { ConfigError } from '../../lib/errors';
import { Rng } from '../../lib/random';
import type { LoadedModel } from '../../diffusion/index';
import { isInpaintingUnet } from '../../diffusion/index';
import { vaeScaleFactor } from '../../onnx/index';
import type { HostTensor, Runner } from '../../runtime/index';
import { DISENDIFF_DEFAULTS } from '../config';
import type { DisenDiffConfig, LossTerms, ModifierInit } from '../config';
import { DISENDIFF_RARE_IDS, initialModifierRows, registerConcepts } from '../concepts';
import type { Concept, ConceptDef, RowInit } from '../concepts';
import { captionStyleFor } from '../data/captions';
import type { CaptionStyle } from '../data/captions';
import { PersonalizationDataset, mixSeed } from '../data/dataset';
import type { RegularisationImage, TrainingSample } from '../data/dataset';
import type { PlanarImage } from '../data/image';
import { TrainingSession } from '../engine/trainStep';
import type { BatchFeeds } from '../engine/types';
import { buildTrainGraph } from '../graphs/buildTrainGraph';
import { initialLoraFactors } from '../graphs/kvLora';
import type { TrainGraph } from '../graphs/buildTrainGraph';
import { microBatchFeeds, resizeNearest } from '../feeds/microBatch';
import type { TrainSample } from '../feeds/microBatch';
import { TOKEN_TABLE } from '../pack/apply';
import { MODIFIER_ROWS } from '../pack/fromParams';
import { createAttentionProbe } from './attentionProbe';
import type { AttentionProbe } from './attentionProbe';
import { LatentEncoder } from './latents';
import type { BatchSource, StepperFactory } from './types';

export type PersonalizeRequest = {
  /** [3 + n, H, W]: RGB in [−1, 1] then optional per-concept masks in [0, 1] */
  target: PlanarImage;
  concepts: readonly ConceptDef[];
  regularisation: readonly RegularisationImage[];
  seed: number;
  /** optimizer steps; default config.steps = 250 (SD 1.5, §2.8) for every model — the small default model uses the
   *  same number until it is measured (not tuned yet) */
  steps?: number;
  /** pixels; default unet.sample_size × VAE factor (512 for SD 1.5) */
  resolution?: number;
  config?: Partial<DisenDiffConfig>;
  /** an explicit row init, or a named one (ModifierInit); default 'model-default' */
  rowInit?: RowInit | ModifierInit;
  /** caption grammar; default captionStyleFor(model.tokenizer) (src/train/data/captions.ts) */
  captions?: CaptionStyle;
};

export type PersonalizeJob = {
  config: DisenDiffConfig;
  concepts: Concept[];
  graph: TrainGraph;
  initialParams: Record<string, HostTensor>;
  createStepper: StepperFactory;
  batches: BatchSource;
  steps: number;
  resolution: number;
  /** the caption grammar the dataset writes (prompts made with it match training) */
  captions: CaptionStyle;
  /** how the modifier rows started (resolveRowInit) */
  rowInit: RowInit;
  /** opt-in: a probe of the processed attention maps on a fixed target view at t = 500 (a second graph session);
   *  `terms` processes the maps as those terms do instead of the run's (a bench reads every variant's maps alike) */
  attentionProbe(terms?: LossTerms): Promise<AttentionProbe>;
  dispose(): Promise<void>;
};

function initialParams(model: LoadedModel, tg: TrainGraph, concepts: Concept[], init: RowInit, seed: number): Record<string, HostTensor> {
  const hidden = model.textEncoder.config.hidden_size;
  const vocab = model.textEncoder.config.vocab_size;
  const table = model.textEncoder.weights.get(TOKEN_TABLE, [vocab, hidden]) as Float32Array;
  const out: Record<string, HostTensor> = { [MODIFIER_ROWS]: { dtype: 'float32', dims: [concepts.length, hidden], data: initialModifierRows(concepts, table, hidden, init) } };
  // K/V LoRA: down seeded (kaiming-uniform), up = 0 (graphs/kvLora.ts); W0 sits in the graph as an initializer
  if (tg.kvLora) return { ...out, ...initialLoraFactors(tg.kvLora, seed) };
  for (const name of tg.trainable.filter((n) => n !== MODIFIER_ROWS)) {
    const dims = tg.backward.graph.inputs.find((v) => v.name === name)?.shape as number[];
    out[name] = { dtype: 'float32', dims, data: (model.unet.weights.get(name, dims) as Float32Array).slice() };
  }
  return out;
}

/** A TrainSample (feeds/microBatch.ts) from a dataset sample: VAE latents, ε, t and latent-resolution masks. */
async function toTrainSample(s: TrainingSample, index: number, enc: LatentEncoder, seed: number, timesteps: number, n: number): Promise<TrainSample> {
  const rng = new Rng(mixSeed(seed, index, 0x7a11));
  const latents = await enc.encode(s.pixels, rng, s.kind === 'regularisation' ? `reg:${s.sourceIndex}:${s.isFlipped}` : undefined);
  const [c, h, w] = enc.latentShape;
  const r = enc.resolution;
  const masks = s.kind === 'target' && s.conceptMasks.some((v) => v > 0)
    ? Array.from({ length: n }, (_, i) => resizeNearest(s.conceptMasks.subarray(i * r * r, (i + 1) * r * r), r, r, h, w))
    : undefined;
  const erased = masks && s.erased.some((v) => v > 0) ? resizeNearest(s.erased, r, r, h, w) : undefined;
  return { latents, noise: rng.normalArray(c * h * w), timestep: rng.int(0, timesteps - 1), prompt: s.caption.text, masks, erased };
}

/**
 * Prepares everything personalize() needs. Mutates `model.tokenizer` (adds the concept tokens).
 * @throws ConfigError for bad concepts (registerConcepts) or data; GraphError from the graph builders
 */
export async function preparePersonalizeJob(runner: Runner, model: LoadedModel, request: PersonalizeRequest): Promise<PersonalizeJob> {
  const { in_channels: unetIn } = model.unet.config;
  if (isInpaintingUnet(unetIn, model.vae.config.latent_channels)) {
    throw new ConfigError(`${model.name} is an inpainting model (a ${unetIn}-channel UNet: latent, mask, masked-image latent); learn concepts on its text-to-image base model: the pack then applies to this inpainting model too (docs/inpainting.md).`);
  }
  let req = request;
  const config: DisenDiffConfig = { ...DISENDIFF_DEFAULTS, ...req.config, seed: req.seed };
  // The released method never sees user masks: drop the mask channels (RGB only), so the paths below are its own.
  if (!config.useMasks && req.target.channels > 3) req = { ...req, target: rgbOnly(req.target) };
  if (req.target.channels === 3) config.terms = { ...config.terms, maskedBase: true, maskAttention: false };
  const f = vaeScaleFactor(model.vae.config);
  const resolution = req.resolution ?? model.unet.config.sample_size * f;
  const concepts = registerConcepts(model.tokenizer, req.concepts, model.textEncoder.config.vocab_size);
  const seqLen = model.tokenizer.maxLength;
  const latent = resolution / f;
  const graphOptions = { unet: model.unet.config, text: model.textEncoder.config, concepts: concepts.length, batch: config.batchSize, height: latent, width: latent, seqLen, unetWeights: model.unet.weights, textWeights: model.textEncoder.weights, config, recompute: config.recompute };
  const graph = buildTrainGraph(graphOptions);
  const captions = req.captions ?? captionStyleFor(model.tokenizer);
  const dataset = new PersonalizationDataset({ target: req.target, concepts, regularisation: req.regularisation, tokenizer: model.tokenizer, resolution, latentFactor: f, seed: req.seed, isUnionSampling: config.unionSampling && req.target.channels > 3, isIsolatingSubsets: config.subsetIsolation, captions });
  const enc = await LatentEncoder.create(runner, model.vae.config, model.vae.weights, resolution);
  const batches: BatchSource = async (batchIndex, micro) => {
    const samples: TrainSample[] = [];
    const views: TrainingSample[] = [];
    for (let b = 0; b < config.batchSize; b++) {
      const index = (batchIndex * config.gradAccumulation + micro) * config.batchSize + b;
      const view = dataset.sample(index);
      views.push(view);
      samples.push(await toTrainSample(view, index, enc, req.seed, config.betas.numTrainTimesteps, concepts.length));
    }
    return withAugmentationMask(microBatchFeeds(graph, model.tokenizer, concepts, samples, enc.latentShape), views);
  };
  const createStepper: StepperFactory = (params) => TrainingSession.create({
    runner, backward: graph.backward, trainable: params, accumulationSteps: config.gradAccumulation,
    optimizer: { kind: 'adamw', lr: config.learningRate, weightDecay: config.weightDecay }, name: 'personalize',
  });
  const rowInit = resolveRowInit(model.tokenizer, captions, req.rowInit ?? 'model-default', model.textEncoder.config.vocab_size);
  const init = initialParams(model, graph, concepts, rowInit, req.seed);
  const attentionProbe = async (terms?: LossTerms): Promise<AttentionProbe> => {
    // a target view with every concept, preferably plain and unflipped: its maps then sit in the user's mask frame
    const candidates = Array.from({ length: 64 }, (_, i) => i).filter((i) => dataset.kindOf(i).kind === 'target' && dataset.sample(i).present.every(Boolean));
    const index = candidates.find((i) => dataset.sample(i).branch === 'plain' && !dataset.sample(i).isFlipped) ?? candidates[0] ?? 0;
    const view = dataset.sample(index);
    const sample = { ...(await toTrainSample(view, index, enc, req.seed, config.betas.numTrainTimesteps, concepts.length)), timestep: 500 };
    const makeFeeds = async (tg: TrainGraph) => withAugmentationMask(microBatchFeeds(tg, model.tokenizer, concepts, [sample], enc.latentShape), [view]);
    return createAttentionProbe(runner, terms ? { ...graphOptions, config: { ...config, terms } } : graphOptions, makeFeeds, [...concepts.map((c) => c.token), ...concepts.map((c) => c.classWord)]);
  };
  return { config, concepts, graph, initialParams: init, rowInit, createStepper, batches, steps: req.steps ?? config.steps, resolution, captions, attentionProbe, dispose: () => enc.dispose() };
}

/**
 * The settings a concept pack records about how it was trained (flat, for the pack metadata): the DisenDiff terms,
 * the loss scale (released: L_base is C × the per-element masked MSE, losses/diffusionMse.ts), λ, mask use and init.
 */
export function packSettings(job: Pick<PersonalizeJob, 'config' | 'captions' | 'resolution' | 'rowInit'>): Record<string, string | number | boolean> {
  const c = job.config;
  const t = c.terms;
  return {
    captions: job.captions.name, learningRate: c.learningRate, resolution: job.resolution, attentionLossWeight: c.attentionLossWeight,
    lossScale: 'released: L_base = C x per-element masked MSE (DisenDiff p_losses)', useMasks: c.useMasks, unionSampling: c.unionSampling, subsetIsolation: c.subsetIsolation,
    terms: Object.entries(t).filter(([, on]) => on).map(([k]) => k).join(','), mapLayers: c.mapLayers ?? 'second-lowest', maskAttentionWeight: c.maskAttentionWeight,
    rowInit: job.rowInit.kind, ...(c.frozenMapKeys ? { frozenMapKeys: true } : {}),
    ...(c.kvLora ? { kvLoraRank: c.kvLora.rank, kvLoraAlpha: c.kvLora.alpha ?? c.kvLora.rank } : {}),
  };
}

/** The RGB channels of a [3 + n, H, W] target. */
function rgbOnly(t: PlanarImage): PlanarImage {
  return { ...t, channels: 3, data: t.data.slice(0, 3 * t.height * t.width) };
}

/**
 * A named init as rows: 'rare' → the released rare CLIP rows when the vocabulary has them (a closed-vocabulary model
 * such as the default one has no such rows: its 'model-default' is used, and the returned init says so);
 * 'model-default' → the caption style's slot words (world: the colours) when it names them, else the class word.
 */
export function resolveRowInit(tokenizer: LoadedModel['tokenizer'], captions: CaptionStyle, init: RowInit | ModifierInit, vocabSize: number): RowInit {
  if (typeof init !== 'string') return init;
  if (init === 'class-word') return { kind: 'class-word' };
  if (init === 'rare' && vocabSize > Math.max(...Object.values(DISENDIFF_RARE_IDS).flat())) return { kind: 'rare' };
  return defaultRowInit(tokenizer, captions);
}

/** The caption style's slot words' mean row (world: the colours) when it names them, else the class word's row. */
function defaultRowInit(tokenizer: LoadedModel['tokenizer'], captions: CaptionStyle): RowInit {
  const ids = (captions.initWords ?? []).map((w) => tokenizer.tokenToId(w)).filter((id): id is number => id !== undefined);
  return ids.length ? { kind: 'mean', ids } : { kind: 'class-word' };
}

/** mask ← mask ⊙ augmentation loss mask (the small-scale branch's pasted square, §2.3), when the graph has a mask. */
function withAugmentationMask(feeds: BatchFeeds, views: readonly TrainingSample[]): BatchFeeds {
  const mask = feeds.mask;
  if (!mask) return feeds;
  const data = (mask.data as Float32Array).slice();
  const hw = data.length / views.length;
  views.forEach((v, b) => {
    for (let p = 0; p < hw; p++) data[b * hw + p] = (data[b * hw + p] as number) * (v.lossMask[p] as number);
  });
  return { ...feeds, mask: { ...mask, data } };
}
