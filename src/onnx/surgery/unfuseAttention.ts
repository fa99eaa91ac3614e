// Pass: rewrites com.microsoft MultiHeadAttention and Attention nodes (as onnxruntime's transformer optimizer
// emits them for SD UNets) into plain differentiable ai.onnx ops with the same numerics:
//   A = Softmax(Q·Kᵀ · scale) [B, N, S, L], out = (A·V) merged over heads [B, S, N·Hv], scale default 1/√H
// (Vaswani et al. 2017, eq. 1; ORT contrib_defs.cc MultiHeadAttention / Attention). Invariant kept: every value
// the graph read before keeps its name, dtype and shape. Pure. Unsupported inputs or attributes (masks, past
// K/V, rotary, unidirectional) are a GraphError naming the node; nothing is silently dropped.
import { GraphError } from '../../lib/errors';
import type { ValueSpec } from '../build/schema';
import type { Graph, Node } from '../ir/types';
import type { Pass } from '../passes/pass';
import { NodeEmitter } from './emitter';
import { inferShapes } from './inferShapes';

const MS = 'com.microsoft';
/** op type → attributes this rewrite understands (any other attribute is refused) */
const KNOWN_ATTRS: Record<string, readonly string[]> = {
  MultiHeadAttention: ['num_heads', 'scale', 'mask_filter_value', 'unidirectional'],
  Attention: ['num_heads', 'scale', 'mask_filter_value', 'unidirectional', 'qkv_hidden_sizes', 'do_rotary', 'past_present_share_buffer'],
};
/** op type → first input index that is not supported (masks, attention bias, past K/V, …) */
const FIRST_UNSUPPORTED_INPUT: Record<string, number> = { MultiHeadAttention: 4, Attention: 3 };

/** Heads in [B, N, T, H] layout: Q, Kᵀ ([B, N, H, L]) and V. */
type Heads = { q: string; kT: string; v: string; batch: number; seq: number; heads: number; headSize: number; vHeadSize: number };

function fail(node: Node, message: string): never {
  throw new GraphError(`unfuseAttention: ${node.domain}.${node.opType} ${message}`, node.name);
}

function shapeOf(node: Node, specs: Map<string, ValueSpec>, i: number): number[] {
  const s = specs.get(node.inputs[i] ?? '');
  if (!s) fail(node, `input ${i} "${node.inputs[i]}" has no static shape; make graph input dims static first (fixDims)`);
  return s.shape;
}

function intAttr(node: Node, name: string, fallback: number): number {
  const a = node.attributes[name];
  return a && a.type === 'int' ? a.value : fallback;
}

function checkSupported(node: Node): void {
  const known = KNOWN_ATTRS[node.opType] as readonly string[];
  for (const name of Object.keys(node.attributes)) if (!known.includes(name)) fail(node, `has attribute "${name}", which this rewrite does not support (supported: ${known.join(', ')})`);
  if (intAttr(node, 'unidirectional', 0) !== 0) fail(node, 'has unidirectional=1 (causal mask), which is not supported');
  if (intAttr(node, 'do_rotary', 0) !== 0) fail(node, 'has do_rotary=1, which is not supported');
  const first = FIRST_UNSUPPORTED_INPUT[node.opType] as number;
  node.inputs.forEach((name, i) => {
    if (i >= first && name !== '') fail(node, `uses input ${i} "${name}" (mask / attention bias / past K,V), which is not supported`);
  });
  const used = node.outputs.slice(1).filter((o) => o !== '');
  if (used.length > 0) fail(node, `has present/past outputs (${used.join(', ')}), which are not supported`);
  if (intAttr(node, 'num_heads', 0) < 1) fail(node, 'needs a positive num_heads attribute');
}

/** [B, T, N·H] → [B, N, T, H] (or [B, N, H, T] when `keyT`). */
function splitHeads(e: NodeEmitter, x: string, b: number, t: number, n: number, h: number, keyT = false): string {
  return e.transpose(e.reshape(x, [b, t, n, h]), keyT ? [0, 2, 3, 1] : [0, 2, 1, 3]);
}

/** [B, T, N, P, H] packed → the p-th [B, N, T, H] (or [B, N, H, T]). */
function unpack(e: NodeEmitter, x: string, shape: number[], p: number, keyT = false): string {
  const [b, t, n, , h] = shape as [number, number, number, number, number];
  const one = e.reshape(e.slice(x, 3, p, p + 1), [b, t, n, h]);
  return e.transpose(one, keyT ? [0, 2, 3, 1] : [0, 2, 1, 3]);
}

/** Q, K, V of a MultiHeadAttention node: separate 3-D (optional bias), packed KV (5-D key), packed QKV, or BNSH K/V. */
function mhaHeads(e: NodeEmitter, node: Node, specs: Map<string, ValueSpec>): Heads {
  const n = intAttr(node, 'num_heads', 0);
  const [query, key = '', value = '', bias = ''] = node.inputs;
  const qs = shapeOf(node, specs, 0);
  if (qs.length === 5) {
    if (key || value || bias) fail(node, 'has packed QKV (5-D query) together with key/value/bias inputs, which is not supported');
    const [b, s, , , h] = qs as [number, number, number, number, number];
    return { q: unpack(e, query as string, qs, 0), kT: unpack(e, query as string, qs, 1, true), v: unpack(e, query as string, qs, 2), batch: b, seq: s, heads: n, headSize: h, vHeadSize: h };
  }
  if (qs.length !== 3) fail(node, `query must be 3-D [B, S, hidden] or 5-D packed QKV, got [${qs.join(', ')}]`);
  const [b, s, d] = qs as [number, number, number];
  const ks = shapeOf(node, specs, 1);
  if (ks.length === 5) {
    if (value || bias) fail(node, 'has packed KV (5-D key) together with value/bias inputs, which is not supported');
    return { q: splitHeads(e, query as string, b, s, n, d / n), kT: unpack(e, key, ks, 0, true), v: unpack(e, key, ks, 1), batch: b, seq: s, heads: n, headSize: d / n, vHeadSize: ks[4] as number };
  }
  const vs = shapeOf(node, specs, 2);
  if (ks.length === 4 && vs.length === 4) {
    if (bias) fail(node, 'has a bias with BNSH key/value, which is not supported');
    return { q: splitHeads(e, query as string, b, s, n, d / n), kT: e.transpose(key, [0, 1, 3, 2]), v: value, batch: b, seq: s, heads: n, headSize: d / n, vHeadSize: vs[3] as number };
  }
  if (ks.length !== 3 || vs.length !== 3) fail(node, `key/value must both be 3-D, both 4-D (BNSH) or a 5-D packed key; got [${ks.join(', ')}] and [${vs.join(', ')}]`);
  const dv = vs[2] as number;
  const withBias = (x: string, start: number, end: number): string => (bias ? e.node('Add', [x, e.slice(bias, 0, start, end)]) : x);
  return {
    q: splitHeads(e, withBias(query as string, 0, d), b, s, n, d / n),
    kT: splitHeads(e, withBias(key, d, 2 * d), b, ks[1] as number, n, d / n, true),
    v: splitHeads(e, withBias(value, 2 * d, 2 * d + dv), b, vs[1] as number, n, dv / n),
    batch: b, seq: s, heads: n, headSize: d / n, vHeadSize: dv / n,
  };
}

/** Q, K, V of an Attention node: one input projected by packed weights [in, Dq + Dk + Dv] plus bias. */
function attentionHeads(e: NodeEmitter, node: Node, specs: Map<string, ValueSpec>): Heads {
  const n = intAttr(node, 'num_heads', 0);
  const [input, weights, bias = ''] = node.inputs as [string, string, string?];
  const [b, s] = shapeOf(node, specs, 0) as [number, number, number];
  const total = shapeOf(node, specs, 1)[1] as number;
  const sizes = node.attributes.qkv_hidden_sizes;
  const [dq, dk, dv] = sizes && sizes.type === 'ints' ? (sizes.value as [number, number, number]) : [total / 3, total / 3, total / 3];
  if (dq !== dk || dq + dk + dv !== total) fail(node, `qkv_hidden_sizes [${dq}, ${dk}, ${dv}] must have Q = K and sum to the weight width ${total}`);
  let qkv = e.node('MatMul', [input, weights]);
  if (bias) qkv = e.node('Add', [qkv, bias]);
  const part = (start: number, end: number): string => e.slice(qkv, 2, start, end);
  return {
    q: splitHeads(e, part(0, dq), b, s, n, dq / n), kT: splitHeads(e, part(dq, dq + dk), b, s, n, dk / n, true), v: splitHeads(e, part(dq + dk, total), b, s, n, dv / n),
    batch: b, seq: s, heads: n, headSize: dq / n, vHeadSize: dv / n,
  };
}

/** The replacement nodes of one fused node; the last one writes the fused node's output name. */
function unfuseNode(node: Node, specs: Map<string, ValueSpec>): NodeEmitter {
  checkSupported(node);
  const e = new NodeEmitter(`${node.name}/unfused`);
  const h = node.opType === 'Attention' ? attentionHeads(e, node, specs) : mhaHeads(e, node, specs);
  if (!Number.isInteger(h.headSize) || !Number.isInteger(h.vHeadSize)) fail(node, `hidden size is not divisible by num_heads ${h.heads}`);
  const scale = node.attributes.scale?.type === 'float' && node.attributes.scale.value !== 0 ? node.attributes.scale.value : 1 / Math.sqrt(h.headSize);
  const scores = e.node('Mul', [e.node('MatMul', [h.q, h.kT]), e.scalar(scale)]);
  const probs = e.node('Softmax', [scores], { axis: { type: 'int', value: -1 } });
  const merged = e.transpose(e.node('MatMul', [probs, h.v]), [0, 2, 1, 3]);
  e.reshape(merged, [h.batch, h.seq, h.heads * h.vHeadSize], node.outputs[0]);
  return e;
}

/** Output shape of a fused node, so that shapes keep flowing to later fused nodes. */
function fusedShape(node: Node, inputs: (ValueSpec | undefined)[]): ValueSpec[] | undefined {
  if (node.domain !== MS || !(node.opType in KNOWN_ATTRS)) return undefined;
  const q = inputs[0];
  if (!q) return undefined;
  const [b, s] = q.shape as [number, number];
  const n = intAttr(node, 'num_heads', 1);
  let hidden: number | undefined;
  if (node.opType === 'Attention') hidden = inputs[1] ? (inputs[1].shape[1] as number) / 3 : undefined;
  else if (q.shape.length === 5) hidden = n * (q.shape[4] as number);
  else if (inputs[1]?.shape.length === 5) hidden = n * (inputs[1].shape[4] as number);
  else if (inputs[2]) hidden = inputs[2].shape.length === 4 ? n * (inputs[2].shape[3] as number) : (inputs[2].shape[2] as number);
  return hidden === undefined ? undefined : [{ dtype: q.dtype, shape: [b, s, hidden] }];
}

/**
 * Replaces every com.microsoft MultiHeadAttention / Attention node by plain ops (nodes stay in order).
 * @returns the same graph object when it has no such node
 * @throws GraphError naming the node for unsupported inputs, attributes or non-static shapes
 * @example const trainable = makeTrainable(unfuseAttention(decodeModel(bytes).graph));
 */
export function unfuseAttention(graph: Graph): Graph {
  const isFused = (n: Node): boolean => n.domain === MS && n.opType in KNOWN_ATTRS;
  if (!graph.nodes.some(isFused)) return graph;
  const specs = inferShapes(graph, fusedShape);
  const nodes: Node[] = [];
  const initializers = [...graph.initializers];
  for (const n of graph.nodes) {
    if (!isFused(n)) {
      nodes.push(n);
      continue;
    }
    const e = unfuseNode(n, specs);
    nodes.push(...e.nodes);
    initializers.push(...e.initializers);
  }
  return { ...graph, nodes, initializers };
}

export const unfuseAttentionPass: Pass = {
  name: 'unfuseAttention',
  run(graph) {
    const g = unfuseAttention(graph);
    return { graph: g, changed: g !== graph };
  },
};
