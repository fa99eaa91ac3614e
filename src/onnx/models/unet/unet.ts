// buildUnet: UNet2DConditionModel (diffusers) as an ONNX graph: conv_in → down blocks → mid block → up blocks →
// GroupNorm → SiLU → conv_out, conditioned on the timestep embedding and encoder_hidden_states.
// Inputs: sample [B, in, h, w], timestep float32 [B], encoder_hidden_states [B, S, D]; output out_sample.
// Trainer options: cross-attention probabilities as outputs, attn2 to_k/to_v as graph inputs, SOS K/V detached
// (docs/disendiff.md §2.1, §2.5, §8). Pure: builds a graph, runs nothing.
import { GraphError } from '../../../lib/errors';
import { stopGradient } from '../../autodiff/backward';
import { GraphBuilder } from '../../build/GraphBuilder';
import type { Var } from '../../build/Var';
import type { Model } from '../../ir/types';
import type { UNet2DConditionConfig } from '../configs';
import { groupNorm } from '../groupNorm';
import { conv2d, silu } from '../nn';
import { ParamTable } from '../weights';
import type { ModelBuildOptions, ParamEntry } from '../weights';
import { downBlock, headsPerBlock, midBlock, upBlock } from './blocks';
import type { UnetContext } from './blocks';
import { timestepEmbedding } from './timestep';
import type { CrossAttentionSite } from './transformer';

/** A cross-attention layer as the trainer sees it (no graph handles). */
export type CrossAttentionLayerInfo = { layer: string; resolution: [number, number]; heads: number };

export type UnetBuildOptions = ModelBuildOptions & {
  batch: number;
  /** latent height and width */
  height: number;
  width: number;
  /** text tokens (default 77) */
  seqLen?: number;
  /** Which attn2 probability tensors [B, heads, h·w, S] become graph outputs (true: all). */
  exposeCrossAttention?: boolean | ((layer: CrossAttentionLayerInfo) => boolean);
  /** attn2 to_k/to_v weights that become graph inputs named by their state-dict name: true (all 2 per attn2) or a list of param names or attn2 layer names. */
  kvAsInputs?: boolean | readonly string[];
  /** Detach K and V of context token 0 in every attn2 (stop-gradient; forward unchanged). */
  detachSosKv?: boolean;
  graphName?: string;
};

/** One exposed probability tensor: `layer` is the diffusers module path, `output` the graph output name. */
export type CrossAttentionOutput = CrossAttentionLayerInfo & { name: string; output: string; shape: number[] };

export type UnetBuild = {
  builder: GraphBuilder;
  model: Model;
  params: ParamEntry[];
  paramCount: number;
  randomInitialized: string[];
  crossAttention: CrossAttentionOutput[];
  /** names of the K/V weights declared as graph inputs, in graph order ([out, in] = [C, cross_attention_dim]) */
  kvInputs: string[];
};

const KV_PARAM = /\.attn2\.to_[kv]\.weight$/;

/**
 * Builds the UNet. Throws GraphError when the config and sizes do not fit (naming the bad field).
 * @example const { model, crossAttention } = buildUnet(SD15_UNET, { batch: 1, height: 64, width: 64, exposeCrossAttention: (l) => l.resolution[0] === 16 });
 */
export function buildUnet(cfg: UNet2DConditionConfig, o: UnetBuildOptions): UnetBuild {
  validate(cfg, o);
  const b = new GraphBuilder(o.graphName ?? 'unet');
  const kvAsInput = kvSelector(o.kvAsInputs);
  const pt = new ParamTable(b, o.weights, o.seed, kvAsInput);
  const seqLen = o.seqLen ?? 77;
  const sample = b.input('sample', 'float32', [o.batch, cfg.in_channels, o.height, o.width]);
  const timestep = b.input('timestep', 'float32', [o.batch]);
  const context = b.input('encoder_hidden_states', 'float32', [o.batch, seqLen, cfg.cross_attention_dim]);
  const sites: CrossAttentionSite[] = [];
  const temb = timestepEmbedding(pt, timestep, cfg);
  const ctx: UnetContext = {
    pt, cfg, context, tembAct: b.scope('time_embedding', () => silu(temb)),
    hooks: { detachSosKv: o.detachSosKv ? (v: Var) => stopGradient(v, 'DetachSos') : undefined, onCrossAttention: (s) => sites.push(s) },
  };
  let h = conv2d(pt, sample, 'conv_in', cfg.in_channels, cfg.block_out_channels[0] as number, { kernel: 3 });
  const skips: Var[] = [h];
  cfg.down_block_types.forEach((_, i) => (h = downBlock(ctx, h, i, skips)));
  h = midBlock(ctx, h);
  cfg.up_block_types.forEach((_, i) => (h = upBlock(ctx, h, i, skips)));
  const normed = groupNorm(pt, h, 'conv_norm_out', cfg.norm_num_groups, cfg.norm_eps);
  h = b.scope('conv_norm_out', () => silu(normed));
  b.output(conv2d(pt, h, 'conv_out', cfg.block_out_channels[0] as number, cfg.out_channels, { kernel: 3 }), 'out_sample');
  const crossAttention = exposeSites(b, sites, o.exposeCrossAttention);
  const kvInputs = pt.entries.filter((e) => e.isInput && KV_PARAM.test(e.name)).map((e) => e.name);
  checkKvRequest(o.kvAsInputs, kvInputs, pt.entries);
  return { builder: b, model: b.toModel(), params: pt.entries, paramCount: pt.count(), randomInitialized: pt.randomInitialized, crossAttention, kvInputs };
}

function kvSelector(req: UnetBuildOptions['kvAsInputs']): (name: string) => boolean {
  if (!req) return () => false;
  if (req === true) return (name) => KV_PARAM.test(name);
  const wanted = new Set(req);
  return (name) => KV_PARAM.test(name) && (wanted.has(name) || wanted.has(name.replace(/\.to_[kv]\.weight$/, '')));
}

function checkKvRequest(req: UnetBuildOptions['kvAsInputs'], got: string[], entries: ParamEntry[]): void {
  if (!Array.isArray(req)) return;
  const all = entries.filter((e) => KV_PARAM.test(e.name)).map((e) => e.name);
  const missing = req.filter((r) => !all.some((n) => n === r || n.startsWith(`${r}.to_`)));
  if (missing.length > 0 || (got.length === 0 && req.length > 0)) {
    throw new GraphError(`kvAsInputs: no attn2 K/V weight matches ${missing.join(', ')}; valid names are e.g. ${all.slice(0, 4).join(', ')} (or their "...attn2" layer paths)`);
  }
}

function exposeSites(b: GraphBuilder, sites: CrossAttentionSite[], req: UnetBuildOptions['exposeCrossAttention']): CrossAttentionOutput[] {
  if (!req) return [];
  const chosen = sites.filter((s) => req === true || req({ layer: s.layer, resolution: s.resolution, heads: s.heads }));
  return chosen.map((s) => {
    const output = `${s.layer}.attn_probs`;
    b.output(s.probs, output);
    return { name: s.layer, layer: s.layer, resolution: s.resolution, heads: s.heads, output, shape: [...s.probs.shape] };
  });
}

function validate(cfg: UNet2DConditionConfig, o: UnetBuildOptions): void {
  const n = cfg.block_out_channels.length;
  const fail = (msg: string): never => {
    throw new GraphError(`buildUnet: ${msg}`);
  };
  if (cfg.down_block_types.length !== n || cfg.up_block_types.length !== n) fail(`down_block_types (${cfg.down_block_types.length}) and up_block_types (${cfg.up_block_types.length}) must both have one entry per block_out_channels (${n})`);
  const factor = 2 ** (n - 1);
  if (o.height % factor !== 0 || o.width % factor !== 0) fail(`latent ${o.height}×${o.width} must be divisible by ${factor} (2^(blocks−1))`);
  if (!(o.batch >= 1)) fail(`batch must be ≥ 1, got ${o.batch}`);
  const heads = headsPerBlock(cfg);
  cfg.block_out_channels.forEach((c, i) => {
    if (c % cfg.norm_num_groups !== 0) fail(`block_out_channels[${i}] = ${c} is not divisible by norm_num_groups ${cfg.norm_num_groups}`);
    if (heads[i] === undefined || c % (heads[i] as number) !== 0) fail(`block_out_channels[${i}] = ${c} is not divisible by the head count ${heads[i]}`);
  });
  if (cfg.act_fn !== 'silu') fail(`act_fn "${cfg.act_fn}" is not supported (only "silu")`);
  if (cfg.center_input_sample) fail('center_input_sample = true is not supported');
  if ((cfg.mid_block_scale_factor ?? 1) !== 1) fail(`mid_block_scale_factor ${cfg.mid_block_scale_factor} is not supported (only 1)`);
}
