// Pass: converts a float32 inference graph to float16 storage and compute, keeping float32 islands where half
// precision breaks numerics (Softmax, normalisation statistics, Exp/Log, the sinusoidal timestep embedding).
// Graph inputs and outputs stay float32 (Casts at the boundary); int/bool values are never touched. Pure: never
// mutates its input, never used on training graphs (those stay float32). Reference: docs/platform.md (fp16 on
// WebGPU), onnxconverter-common float16.convert_float_to_float16 (op block list, value clamping).
import { GraphError } from '../../lib/errors';
import { GraphBuilder } from '../build/GraphBuilder';
import { lookupSchema } from '../build/registry';
import { InferContext } from '../build/schema';
import type { ValueSpec } from '../build/schema';
import type { Graph, Model, Node } from '../ir/types';
import { f16Attributes, f16Tensor } from './float16Data';
import { cloneGraph } from './pass';
import type { Half } from './float16Data';
import type { Pass } from './pass';
import { validateModel } from './validate';
import { modelOf } from '../ir/model';

/** Op types computed in float32 by default, with Casts around them (docs/platform.md: fp16 Softmax/norm overflow). */
export const DEFAULT_KEEP_FLOAT32_OPS: readonly string[] = [
  'Softmax', 'LayerNormalization', 'InstanceNormalization', 'GroupNormalization', 'ReduceMean', 'Pow', 'Sqrt', 'Exp', 'Log', 'Sin', 'Cos',
];

export type Float16Options = {
  /** op types kept in float32 (default DEFAULT_KEEP_FLOAT32_OPS; pass [] to convert everything) */
  keepFloat32Ops?: readonly string[];
  /**
   * graph inputs whose embedding stays float32 up to the first MatMul/Gemm/Conv (default ['timestep']: t·ω with
   * t ≤ 999 needs float32, the float16 spacing at 999 is 0.5, so sin(t·ω) would be noise)
   */
  keepFloat32Inputs?: readonly string[];
  /** extra nodes to keep in float32 */
  keepFloat32Nodes?: (node: Node) => boolean;
};

/** ops that end the float32 timestep region (the first weight multiply reads float16 weights) */
const HEAVY = new Set(['MatMul', 'Gemm', 'Conv', 'ConvTranspose', 'Einsum']);
/** op type → input indices whose dtype is not tied to the node's float type (left as they are) */
const FREE_INPUTS: Readonly<Record<string, readonly number[]>> = { Shape: [0], Size: [0], Cast: [0], IsNaN: [0], IsInf: [0], Resize: [1, 2], Upsample: [1] };
/** data-movement ops: they stay float32 when their float inputs exist only in float32 (no Cast churn) */
const MOVEMENT = new Set(['Identity', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Flatten', 'Slice', 'Split', 'Concat', 'Expand', 'Gather']);
/** float-producing ops without float inputs that toFloat16 knows how to retarget (others stay float32) */
const GENERATORS = new Set(['Constant', 'ConstantOfShape', 'Cast']);

/** conversion state; every map is keyed by ORIGINAL value names unless said otherwise */
type State = {
  source: GraphBuilder;
  options: Required<Float16Options>;
  /** float32 value → its versions: dtype → value name in the new graph */
  versions: Map<string, Partial<Record<Half | 'float32', string>>>;
  /** NEW value name → spec (dtype/shape) in the new graph */
  specs: Map<string, ValueSpec>;
  /** values that are constants (initializers and what is computed only from them) */
  constants: Set<string>;
  /** values of the float32 timestep region */
  region: Set<string>;
  graphOutputs: Set<string>;
  nodes: Node[];
  initializers: Graph['initializers'];
  used: Set<string>;
  clamped: number;
};

function unique(s: State, base: string): string {
  let name = base;
  for (let k = 1; s.used.has(name); k++) name = `${base}_${k}`;
  s.used.add(name);
  return name;
}

function specOf(s: State, name: string): ValueSpec {
  const known = s.specs.get(name);
  if (known) return known;
  const v = s.source.get(name);
  return { dtype: v.dtype, shape: [...v.shape], constValue: v.constValue };
}

/** The name of `value` in `dtype`, converting an initializer or inserting one shared Cast when needed. */
function need(s: State, value: string, dtype: Half | 'float32'): string {
  const v = s.versions.get(value);
  if (!v) return value;
  const have = v[dtype];
  if (have) return have;
  const suffix = dtype === 'float16' ? 'f16' : 'f32';
  const init = s.initializers.find((t) => t.name === value);
  const out = unique(s, `${value}:${suffix}`);
  if (init && dtype === 'float16') {
    const t = f16Tensor(init, out);
    s.clamped += t.clamped;
    s.initializers.push(t.tensor);
  } else {
    const from = (v.float32 ?? v.float16) as string;
    s.nodes.push({ name: unique(s, `${value}/Cast_${suffix}`), opType: 'Cast', domain: '', inputs: [from], outputs: [out], attributes: { to: { type: 'int', value: dtype === 'float16' ? 10 : 1 } } });
  }
  v[dtype] = out;
  s.specs.set(out, { dtype, shape: specOf(s, value).shape });
  return out;
}

/** float32 or float16 for node `n` (see the file header for the rules). */
function modeOf(s: State, n: Node): Half | 'float32' {
  if (!lookupSchema(n.opType, n.domain)) return 'float32';
  if (s.options.keepFloat32Ops.includes(n.opType) || s.options.keepFloat32Nodes(n)) return 'float32';
  const live = n.inputs.filter((i) => i && !s.constants.has(i) && (s.region.has(i) || s.versions.has(i)));
  if (!HEAVY.has(n.opType) && live.length > 0 && live.every((i) => s.region.has(i))) {
    for (const o of n.outputs) if (o) s.region.add(o);
    return 'float32';
  }
  const floatIn = n.inputs.filter((i) => i && s.versions.has(i) && !s.constants.has(i)).map((i) => s.versions.get(i) as Partial<Record<string, string>>);
  if (MOVEMENT.has(n.opType) && floatIn.length > 0 && floatIn.every((v) => v.float32 && !v.float16)) return 'float32';
  const free = FREE_INPUTS[n.opType] ?? [];
  const hasFloatIn = n.inputs.some((i, k) => i && s.versions.has(i) && !free.includes(k));
  const hasFloatOut = n.outputs.some((o) => o && s.source.has(o) && s.source.get(o).dtype === 'float32');
  return hasFloatOut && !hasFloatIn && !GENERATORS.has(n.opType) ? 'float32' : 'float16';
}

function convertNode(s: State, n: Node): void {
  if (n.inputs.length > 0 && n.inputs.every((i) => !i || s.constants.has(i))) for (const o of n.outputs) s.constants.add(o);
  if (Object.values(n.attributes).some((a) => a.type === 'graph')) {
    throw new GraphError(`toFloat16 does not convert subgraphs (${n.opType} with a graph attribute); keep this model in float32`, n.name);
  }
  const mode = modeOf(s, n);
  const free = FREE_INPUTS[n.opType] ?? [];
  const inputs = n.inputs.map((i, k) => {
    if (!i || !s.versions.has(i)) return i;
    if (!free.includes(k)) return need(s, i, mode);
    const v = s.versions.get(i) as Partial<Record<string, string>>;
    return (v.float32 ?? v.float16) as string;
  });
  const attributes = mode === 'float16' ? f16Attributes(n) : n.attributes;
  const node: Node = { ...n, inputs, attributes };
  const schema = lookupSchema(n.opType, n.domain);
  const specs = schema ? schema.infer(new InferContext(node, inputs.map((i) => (i ? specOf(s, i) : undefined)))) : n.outputs.map((o) => specOf(s, o));
  const outputs = n.outputs.map((o, k) => {
    const spec = specs[k];
    if (!o || !spec) return o;
    const wasFloat32 = s.source.has(o) && s.source.get(o).dtype === 'float32';
    const name = wasFloat32 && spec.dtype !== 'float32' && s.graphOutputs.has(o) ? unique(s, `${o}:f16`) : o;
    if (wasFloat32) s.versions.set(o, { [spec.dtype]: name });
    s.specs.set(name, { dtype: spec.dtype, shape: spec.shape, constValue: wasFloat32 ? undefined : spec.constValue });
    return name;
  });
  const input = inputs[0];
  const isTrivialCast = n.opType === 'Cast' && input && s.versions.has(n.outputs[0] ?? '') && specOf(s, input).dtype === specs[0]?.dtype && !s.graphOutputs.has(n.outputs[0] ?? '');
  if (isTrivialCast) s.versions.set(n.outputs[0] as string, { [specOf(s, input).dtype]: input });
  else s.nodes.push({ ...node, outputs });
}

/** Drops float32 initializers nothing reads any more; a lone float16 copy takes the original's name. */
function settleInitializers(s: State, original: Graph): void {
  const reads = new Set([...s.nodes.flatMap((n) => n.inputs), ...original.outputs.map((o) => o.name)]);
  const rename = new Map<string, string>();
  for (const t of original.initializers) {
    const copy = s.versions.get(t.name)?.float16;
    if (!reads.has(t.name) && copy && copy !== t.name) rename.set(copy, t.name);
  }
  const readBefore = new Set([...original.nodes.flatMap((n) => n.inputs), ...original.outputs.map((o) => o.name)]);
  s.initializers = s.initializers.filter((t) => reads.has(t.name) || !readBefore.has(t.name));
  s.initializers = s.initializers.map((t) => (rename.has(t.name) ? { ...t, name: rename.get(t.name) as string } : t));
  s.nodes = s.nodes.map((n) => (n.inputs.some((i) => rename.has(i)) ? { ...n, inputs: n.inputs.map((i) => rename.get(i) ?? i) } : n));
}

/**
 * Converts a float32 inference model to float16 (initializers, activations), with float32 graph inputs/outputs
 * and float32 islands (see Float16Options). Initializer values beyond ±65504 are clamped to ±65504 (count in
 * metadata `disenstudio:float16_clamped`), as onnxconverter-common does, so masks such as −1e9 stay finite.
 * Needs static shapes (run fixDims first). Re-infers every node afterwards.
 * @throws GraphError naming the node whose dtypes disagree, a subgraph node, a gradient node, or a value without inference
 * @example const half = toFloat16(buildUnet(cfg, o).model);
 */
export function toFloat16(model: Model, options: Float16Options = {}): Model {
  validateModel(model);
  const g = model.graph;
  const grad = g.nodes.find((n) => n.name.startsWith('grad/'));
  if (grad) throw new GraphError(`toFloat16: graph "${g.name}" is a gradient graph (node "${grad.name}"); training graphs stay float32`, grad.name);
  const s: State = {
    source: GraphBuilder.fromGraph(cloneGraph(g)),
    options: { keepFloat32Ops: options.keepFloat32Ops ?? DEFAULT_KEEP_FLOAT32_OPS, keepFloat32Inputs: options.keepFloat32Inputs ?? ['timestep'], keepFloat32Nodes: options.keepFloat32Nodes ?? (() => false) },
    versions: new Map(), specs: new Map(), constants: new Set(g.initializers.map((t) => t.name)),
    region: new Set((options.keepFloat32Inputs ?? ['timestep']).filter((n) => g.inputs.some((i) => i.name === n))),
    graphOutputs: new Set(g.outputs.map((o) => o.name)), nodes: [], initializers: [...g.initializers],
    used: new Set([...g.nodes.map((n) => n.name), ...g.nodes.flatMap((n) => n.outputs), ...g.inputs.map((i) => i.name), ...g.initializers.map((t) => t.name)]), clamped: 0,
  };
  for (const v of [...g.inputs, ...g.initializers]) if (v.dtype === 'float32') s.versions.set(v.name, { float32: v.name });
  for (const n of g.nodes) convertNode(s, n);
  for (const o of g.outputs) {
    const v = s.versions.get(o.name);
    if (!v || v.float32 === o.name) continue;
    s.nodes.push({ name: unique(s, `${o.name}/Cast_f32`), opType: 'Cast', domain: '', inputs: [v.float16 as string], outputs: [o.name], attributes: { to: { type: 'int', value: 1 } } });
  }
  settleInitializers(s, g);
  const valueInfo = g.valueInfo.flatMap((vi) => {
    const v = s.versions.get(vi.name);
    if (!v) return [vi];
    return v.float32 === vi.name ? [vi] : v.float16 === vi.name ? [{ ...vi, dtype: 'float16' as const }] : [];
  });
  const graph: Graph = { ...g, nodes: s.nodes, initializers: s.initializers, valueInfo };
  const out: Model = { ...model, graph, metadata: { ...model.metadata, 'disenstudio:precision': 'float16', 'disenstudio:float16_clamped': String(s.clamped) } };
  validateModel(out);
  GraphBuilder.fromGraph(cloneGraph(graph));
  return out;
}

export function toFloat16Pass(options: Float16Options = {}): Pass {
  return {
    name: 'toFloat16',
    run(graph) {
      return { graph: toFloat16(modelOf(graph), options).graph, changed: true };
    },
  };
}
