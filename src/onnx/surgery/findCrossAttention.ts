// Finds the cross-attention layers of an imported UNet graph (torch.onnx / Optimum exports, or our builder) by
// following the text-context input: K = MatMul(context, W_k), V = MatMul(context, W_v) (W possibly through a
// Transpose), probabilities A = Softmax(Q·Kᵀ · scale) whose K side traces back to such a projection
// (Vaswani et al. 2017, eq. 1). Self-attention (K from the hidden states) never matches. Pure; never mutates.
// Layer names come from diffusers weight names (`….attn2.to_k.weight`) or, for anonymous weights
// (`onnx::MatMul_1234`), from torch's node names (`/down_blocks.1/attentions.0/…/attn2/to_k/MatMul`).
import { GraphError } from '../../lib/errors';
import type { ValueSpec } from '../build/schema';
import type { Graph, Node } from '../ir/types';
import { GraphIndex } from './graphIndex';
import { inferShapes } from './inferShapes';

/** A context projection: the MatMul reading the context and its weight. */
type Projection = { node: Node; weight: string; layout: 'out-in' | 'in-out' };

/** One cross-attention layer found in the graph. */
export type CrossAttentionMatch = {
  /** diffusers module path, e.g. `down_blocks.1.attentions.0.transformer_blocks.0.attn2` */
  layer: string;
  /** weight value names (initializers, or graph inputs once promoted); the same name when K/V are packed */
  toK: string;
  toV: string | undefined;
  /** one weight [in, 2·C] projects K and V together (onnxruntime's packed-KV fusion, unfused) */
  isKvPacked: boolean;
  /** 'out-in': diffusers [out, in] weight transposed in the graph; 'in-out': torch export's pre-transposed [in, out] */
  kvLayout: 'out-in' | 'in-out';
  softmaxNode: string;
  /** post-softmax probabilities value, shape [B, heads, N, M] (or [B·heads, N, M]) */
  probs: string;
  probsShape: number[];
  heads: number;
  /** query tokens N and their latent grid [h, w] (h·w = N) */
  queryTokens: number;
  resolution: [number, number];
};

export type FindCrossAttentionOptions = {
  /** name of the text-context graph input (default `encoder_hidden_states`) */
  context?: string;
  /** name of the latent input whose aspect ratio gives the grid of non-square layers (default `sample`) */
  sample?: string;
};

/** Ops a value passes through unchanged in meaning between a projection and the attention product (plus
 * Slice with constant bounds, which picks K or V out of a packed projection). */
const LAYOUT_OPS = new Set(['Transpose', 'Reshape', 'Identity', 'Cast', 'Squeeze', 'Unsqueeze']);
const SCALE_OPS = new Set(['Mul', 'Div']);

/** The context input and every value equal to it through Identity/Cast. */
function contextValues(graph: Graph, context: string): Set<string> {
  const set = new Set([context]);
  for (const n of graph.nodes) if ((n.opType === 'Identity' || n.opType === 'Cast') && set.has(n.inputs[0] ?? '')) n.outputs.forEach((o) => set.add(o));
  return set;
}

/** The projection MatMul behind `value`, walking back through layout ops and scalings by constants. */
function projectionBehind(ix: GraphIndex, value: string, ctx: ReadonlySet<string>): Projection | undefined {
  let v = value;
  for (let guard = 0; guard < 16; guard++) {
    const n = ix.producer(v);
    if (!n || n.domain !== '') return undefined;
    if (n.opType === 'MatMul') return asProjection(ix, n, ctx);
    if (LAYOUT_OPS.has(n.opType)) v = n.inputs[0] ?? '';
    else if (SCALE_OPS.has(n.opType) && ix.isConstant(n.inputs[1] ?? '')) v = n.inputs[0] ?? '';
    else if (n.opType === 'Slice' && n.inputs.slice(1).every((i) => i === '' || ix.isConstant(i))) v = n.inputs[0] ?? '';
    else if (n.opType === 'Mul' && ix.isConstant(n.inputs[0] ?? '')) v = n.inputs[1] ?? '';
    else return undefined;
  }
  return undefined;
}

function asProjection(ix: GraphIndex, mm: Node, ctx: ReadonlySet<string>): Projection | undefined {
  const [x, w] = mm.inputs as [string, string];
  if (!ctx.has(x)) return undefined;
  if (ix.isWeight(w, ctx)) return { node: mm, weight: w, layout: 'in-out' };
  const t = ix.producer(w);
  const perm = t?.attributes.perm;
  const isSwap = !perm || (perm.type === 'ints' && perm.value.join() === '1,0');
  if (t && t.opType === 'Transpose' && isSwap && ix.isWeight(t.inputs[0] ?? '', ctx)) return { node: mm, weight: t.inputs[0] as string, layout: 'out-in' };
  return undefined;
}

/** The Q·Kᵀ MatMul feeding a Softmax (through scaling, constant bias and casts). */
function scoresMatMul(ix: GraphIndex, softmax: Node): Node | undefined {
  let v = softmax.inputs[0] ?? '';
  for (let guard = 0; guard < 8; guard++) {
    const n = ix.producer(v);
    if (!n || n.domain !== '') return undefined;
    if (n.opType === 'MatMul') return n;
    const [a, b] = n.inputs as [string, string | undefined];
    if (n.opType === 'Cast' || n.opType === 'Identity') v = a;
    else if ((SCALE_OPS.has(n.opType) || n.opType === 'Add') && b !== undefined && ix.isConstant(b)) v = a;
    else if ((n.opType === 'Mul' || n.opType === 'Add') && ix.isConstant(a) && b !== undefined) v = b;
    else return undefined;
  }
  return undefined;
}

/** The V projection: the MatMul reading the probabilities (possibly through a Cast) as its left operand. */
function valueProjection(ix: GraphIndex, probs: string, ctx: ReadonlySet<string>): Projection | undefined {
  const readers = ix.readers(probs).flatMap((n) => (n.opType === 'Cast' || n.opType === 'Identity' ? ix.readers(n.outputs[0] ?? '') : [n]));
  for (const r of readers) if (r.opType === 'MatMul' && r.domain === '') return projectionBehind(ix, r.inputs[1] ?? '', ctx);
  return undefined;
}

/** diffusers module path from the weight name, else from the K MatMul's node name, else a stable index name. */
function layerName(k: Projection, index: number): string {
  const byWeight = /^(?:unet\.)?(.+)\.to_k\.weight$/.exec(k.weight);
  if (byWeight) return byWeight[1] as string;
  const dotted = k.node.name.replace(/^\/+/, '').split('/').join('.');
  const byNode = /^(.+)\.to_k\.MatMul(?:_\d+)?$/.exec(dotted);
  return byNode ? (byNode[1] as string) : `cross_attention.${index}`;
}

/** Heads and query tokens from the probabilities' shape: [B, H, N, M], or [B·H, N, M] with batch from the context. */
function headsAndTokens(spec: ValueSpec | undefined, batch: number, node: Node): { heads: number; n: number; shape: number[] } {
  const shape = spec?.shape;
  if (shape?.length === 4) return { heads: shape[1] as number, n: shape[2] as number, shape };
  if (shape?.length === 3) return { heads: (shape[0] as number) / batch, n: shape[1] as number, shape };
  throw new GraphError(`findCrossAttention: cannot infer the shape of the attention probabilities (got ${shape ? `[${shape.join(', ')}]` : 'unknown'}); make input dims static first (fixDims)`, node.name);
}

function grid(n: number, sample: ValueSpec | undefined): [number, number] {
  const [h, w] = sample?.shape.length === 4 ? [sample.shape[2] as number, sample.shape[3] as number] : [1, 1];
  const f = Math.sqrt((h * w) / n);
  if (Number.isInteger(h / f) && Number.isInteger(w / f)) return [h / f, w / f];
  const s = Math.round(Math.sqrt(n));
  return s * s === n ? [s, s] : [n, 1];
}

/**
 * Every cross-attention layer of `graph`, in graph order.
 * @throws GraphError when the context input does not exist, or a matched layer's shapes cannot be inferred
 * @example const layers = findCrossAttention(decodeModel(bytes).graph).filter((l) => l.resolution[0] === 16);
 */
export function findCrossAttention(graph: Graph, options: FindCrossAttentionOptions = {}): CrossAttentionMatch[] {
  const context = options.context ?? 'encoder_hidden_states';
  const ctxInput = graph.inputs.find((v) => v.name === context);
  if (!ctxInput) throw new GraphError(`findCrossAttention: graph "${graph.name}" has no input "${context}" (inputs: ${graph.inputs.map((v) => v.name).join(', ')})`);
  const ix = new GraphIndex(graph);
  const ctx = contextValues(graph, context);
  let specs: Map<string, ValueSpec> | undefined;
  const found: CrossAttentionMatch[] = [];
  for (const sm of graph.nodes) {
    if (sm.opType !== 'Softmax' || sm.domain !== '') continue;
    const qk = scoresMatMul(ix, sm);
    const k = qk && projectionBehind(ix, qk.inputs[1] ?? '', ctx);
    if (!k) continue;
    const probs = sm.outputs[0] as string;
    specs ??= inferShapes(graph);
    const batch = typeof ctxInput.shape?.[0] === 'number' ? ctxInput.shape[0] : 1;
    const { heads, n, shape } = headsAndTokens(specs.get(probs), batch, sm);
    const v = valueProjection(ix, probs, ctx);
    found.push({
      layer: layerName(k, found.length), toK: k.weight, toV: v?.weight, isKvPacked: v?.weight === k.weight, kvLayout: k.layout, softmaxNode: sm.name, probs,
      probsShape: shape, heads, queryTokens: n, resolution: grid(n, specs.get(options.sample ?? 'sample')),
    });
  }
  return found;
}
