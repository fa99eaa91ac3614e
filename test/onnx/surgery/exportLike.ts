// Test helpers that make toolkit-built UNets look like imported exports: the SD 1.5 block structure at narrow
// widths, round-tripped through the proto codec; torch.onnx naming (pre-transposed anonymous `onnx::MatMul_*`
// weights, `/down_blocks.0/attentions.0/…/to_k/MatMul` node names); and a fusion of our attention pattern into
// com.microsoft MultiHeadAttention, as onnxruntime's transformer optimizer does. Test-only; no I/O.
import { decodeModel, encodeModel, buildUnet, SD15_UNET } from '../../../src/onnx/index';
import type { Graph, Model, Node, TensorData, UNet2DConditionConfig } from '../../../src/onnx/index';

/** SD 1.5's UNet structure (4 levels, 2 layers per block, 16 attn2, 8 heads) at narrow widths. */
export const SD15_NARROW: UNet2DConditionConfig = { ...SD15_UNET, block_out_channels: [32, 32, 64, 64], norm_num_groups: 8, cross_attention_dim: 16 };
export const LATENT = 16;
export const SEQ = 6;

/** The narrow SD 1.5 UNet (seeded random weights) as an imported model: encoded then decoded. */
export function importedUnet(seed = 3): Model {
  const u = buildUnet(SD15_NARROW, { batch: 1, height: LATENT, width: LATENT, seqLen: SEQ, seed });
  return decodeModel(encodeModel(u.model));
}

/**
 * "a.0.b.0.attn2.to_k/MatMul" (or with outer scopes, "a.0/a.0.b.to_k/MatMul") → "/a.0/b.0/attn2/to_k/MatMul":
 * torch.onnx's module-path node names. Our innermost scope already holds the full module path.
 */
function torchNodeName(name: string): string {
  const parts = name.split('/');
  const op = parts[parts.length - 1] as string;
  const module = parts.length > 1 ? (parts[parts.length - 2] as string) : '';
  const modules = module.split('.').filter(Boolean).reduce<string[]>((acc, seg) => {
    if (/^\d+$/.test(seg) && acc.length > 0) acc[acc.length - 1] += `.${seg}`;
    else acc.push(seg);
    return acc;
  }, []);
  return `/${[...modules, op].join('/')}`;
}

function transposed(t: TensorData, name: string): TensorData {
  const [o, i] = t.dims as [number, number];
  const src = t.data as Float32Array;
  const out = new Float32Array(o * i);
  for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) out[c * o + r] = src[r * i + c] as number;
  return { name, dtype: 'float32', dims: [i, o], data: out };
}

/** torch.onnx style: every Transpose([1,0]) of a 2-D weight becomes a pre-transposed `onnx::MatMul_<k>` initializer. */
export function torchStyle(graph: Graph): Graph {
  const inits = new Map(graph.initializers.map((t) => [t.name, t]));
  const renamed = new Map<string, string>();
  const added: TensorData[] = [];
  const dropped = new Set<string>();
  const nodes: Node[] = [];
  for (const n of graph.nodes) {
    const w = inits.get(n.inputs[0] ?? '');
    const perm = n.attributes.perm;
    if (n.opType === 'Transpose' && w && w.dims.length === 2 && perm?.type === 'ints' && perm.value.join() === '1,0') {
      const name = `onnx::MatMul_${1000 + added.length}`;
      added.push(transposed(w, name));
      renamed.set(n.outputs[0] as string, name);
      dropped.add(w.name);
      continue;
    }
    nodes.push({ ...n, name: torchNodeName(n.name), inputs: n.inputs.map((i) => renamed.get(i) ?? i) });
  }
  return { ...graph, nodes, initializers: [...graph.initializers.filter((t) => !dropped.has(t.name)), ...added] };
}

type Lookup = { producer(v: string): Node | undefined; reader(v: string): Node | undefined; scalar(v: string): number };

function lookup(graph: Graph): Lookup {
  const prod = new Map<string, Node>();
  const read = new Map<string, Node>();
  for (const n of graph.nodes) {
    n.outputs.forEach((o) => prod.set(o, n));
    n.inputs.forEach((i) => read.set(i, n));
  }
  const inits = new Map(graph.initializers.map((t) => [t.name, t]));
  return { producer: (v) => prod.get(v), reader: (v) => read.get(v), scalar: (v) => Number((inits.get(v)?.data as Float32Array)[0]) };
}

/** The nodes of one attention block around `softmax` (our builder's pattern), or undefined. */
function attentionChain(l: Lookup, softmax: Node): { nodes: Node[]; q: string; k: string; v: string; scale: number; out: string } | undefined {
  const mul = l.producer(softmax.inputs[0] as string);
  const qk = mul && l.producer(mul.inputs[0] as string);
  const [tq, tk] = [qk && l.producer(qk.inputs[0] as string), qk && l.producer(qk.inputs[1] as string)];
  const [rq, rk] = [tq && l.producer(tq.inputs[0] as string), tk && l.producer(tk.inputs[0] as string)];
  const av = l.reader(softmax.outputs[0] as string);
  const tv = av && l.producer(av.inputs[1] as string);
  const rv = tv && l.producer(tv.inputs[0] as string);
  const to = av && l.reader(av.outputs[0] as string);
  const ro = to && l.reader(to.outputs[0] as string);
  if (!mul || !qk || !tq || !tk || !rq || !rk || !av || !tv || !rv || !to || !ro) return undefined;
  const nodes = [rq, tq, rk, tk, rv, tv, qk, mul, softmax, av, to, ro];
  return { nodes, q: rq.inputs[0] as string, k: rk.inputs[0] as string, v: rv.inputs[0] as string, scale: l.scalar(mul.inputs[1] as string), out: ro.outputs[0] as string };
}

/** Fuses every attention block (attn1 and attn2) into com.microsoft.MultiHeadAttention(q, k, v). */
export function fuseToMha(model: Model): Model {
  const g = model.graph;
  const l = lookup(g);
  const inits = new Map(g.initializers.map((t) => [t.name, t]));
  const remove = new Set<Node>();
  const replace = new Map<Node, Node>();
  for (const s of g.nodes.filter((n) => n.opType === 'Softmax')) {
    const c = attentionChain(l, s);
    if (!c) continue;
    const rq = c.nodes[0] as Node;
    const heads = Number((inits.get(rq.inputs[1] as string)?.data as BigInt64Array)[2]);
    c.nodes.forEach((n) => remove.add(n));
    const mha: Node = { name: `${s.name}/MultiHeadAttention`, opType: 'MultiHeadAttention', domain: 'com.microsoft', inputs: [c.q, c.k, c.v], outputs: [c.out], attributes: { num_heads: { type: 'int', value: heads }, scale: { type: 'float', value: c.scale } } };
    replace.set(c.nodes[c.nodes.length - 1] as Node, mha);
  }
  const nodes = g.nodes.flatMap((n) => (replace.has(n) ? [replace.get(n) as Node] : remove.has(n) ? [] : [n]));
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const graph = { ...g, nodes, initializers: g.initializers.filter((t) => used.has(t.name)) };
  return { ...model, graph, opsetImports: [...model.opsetImports, { domain: 'com.microsoft', version: 1 }] };
}

/** torch's scaled_dot_product_attention export: Softmax(Mul(q, √s) · Mul(Kᵀ, √s)) instead of Softmax(Q·Kᵀ · s). */
export function sdpaStyle(graph: Graph): Graph {
  const l = lookup(graph);
  const inits = new Map(graph.initializers.map((t) => [t.name, t]));
  const added: TensorData[] = [];
  const swap = new Map<Node, Node[]>();
  for (const s of graph.nodes.filter((n) => n.opType === 'Softmax')) {
    const mul = l.producer(s.inputs[0] as string);
    const qk = mul && l.producer(mul.inputs[0] as string);
    if (!mul || !qk || qk.opType !== 'MatMul' || !inits.has(mul.inputs[1] as string)) continue;
    const root = { name: `${mul.name}/sqrt_scale`, dtype: 'float32' as const, dims: [], data: Float32Array.of(Math.sqrt(l.scalar(mul.inputs[1] as string))) };
    added.push(root);
    const [a, b] = qk.inputs as [string, string];
    const scaled = (x: string, tag: string): Node => ({ name: `${qk.name}/${tag}`, opType: 'Mul', domain: '', inputs: [x, root.name], outputs: [`${qk.name}/${tag}:0`], attributes: {} });
    const mq = scaled(a, 'Mul_q');
    const mk = scaled(b, 'Mul_k');
    swap.set(qk, [mq, mk, { ...qk, inputs: [mq.outputs[0] as string, mk.outputs[0] as string], outputs: [mul.outputs[0] as string] }]);
    swap.set(mul, []);
  }
  return { ...graph, nodes: graph.nodes.flatMap((n) => swap.get(n) ?? [n]), initializers: [...graph.initializers, ...added] };
}

/** [in, C] to_k and to_v weights → ORT's packed [in, 2·C], columns ordered (head n, k|v, h) for a [B, L, N, 2, H] reshape. */
function packWeights(wk: TensorData, wv: TensorData, heads: number, name: string): TensorData {
  const [rows, c] = wk.dims as [number, number];
  const h = c / heads;
  const out = new Float32Array(rows * 2 * c);
  const [k, v] = [wk.data as Float32Array, wv.data as Float32Array];
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < 2 * c; col++) {
      const [n, p, j] = [Math.floor(col / (2 * h)), Math.floor(col / h) % 2, col % h];
      out[r * 2 * c + col] = ((p === 0 ? k : v)[r * c + n * h + j]) as number;
    }
  }
  return { name, dtype: 'float32', dims: [rows, 2 * c], data: out };
}

/**
 * ORT's packed-KV fusion of cross-attention on an MHA-fused torch-style model: K and V come from one MatMul of
 * the context with a packed weight, reshaped to [B, L, N, 2, H] and fed as MultiHeadAttention's key.
 */
export function packKv(model: Model, context = 'encoder_hidden_states'): Model {
  const g = model.graph;
  const l = lookup(g);
  const inits = new Map(g.initializers.map((t) => [t.name, t]));
  const [b, len] = g.inputs.find((v) => v.name === context)?.shape as [number, number];
  const drop = new Set<Node>();
  const swap = new Map<Node, Node[]>();
  const added: TensorData[] = [];
  for (const mha of g.nodes.filter((n) => n.opType === 'MultiHeadAttention')) {
    const [q, k, v] = mha.inputs as [string, string, string];
    const [km, vm] = [l.producer(k), l.producer(v)];
    if (!km || !vm || km.inputs[0] !== context) continue;
    const heads = (mha.attributes.num_heads as { value: number }).value;
    const [wk, wv] = [inits.get(km.inputs[1] as string) as TensorData, inits.get(vm.inputs[1] as string) as TensorData];
    const i = added.length / 2;
    const w = packWeights(wk, wv, heads, `packed_kv_weight_${i}`);
    const shape: TensorData = { name: `packed_kv_shape_${i}`, dtype: 'int64', dims: [5], data: BigInt64Array.from([b, len, heads, 2, (wk.dims[1] as number) / heads].map(BigInt)) };
    added.push(w, shape);
    const mm: Node = { name: `MatMul_packed_kv_${i}`, opType: 'MatMul', domain: '', inputs: [context, w.name], outputs: [`packed_kv_${i}`], attributes: {} };
    const rs: Node = { name: `Reshape_packed_kv_${i}`, opType: 'Reshape', domain: '', inputs: [`packed_kv_${i}`, shape.name], outputs: [`packed_kv_5d_${i}`], attributes: {} };
    [km, vm].forEach((n) => drop.add(n));
    swap.set(mha, [mm, rs, { ...mha, inputs: [q, `packed_kv_5d_${i}`] }]);
  }
  const nodes = g.nodes.flatMap((n) => (drop.has(n) ? [] : swap.get(n) ?? [n]));
  const used = new Set(nodes.flatMap((n) => n.inputs));
  return { ...model, graph: { ...g, nodes, initializers: [...g.initializers, ...added].filter((t) => used.has(t.name)) } };
}
