// Pass: rewrites GroupNormalization (no WebGPU kernel in ORT 1.30) as the SD-Turbo web UNet does: x [N,C,*S] →
// Reshape [0,G,-1] → InstanceNormalization(1, 0, [G]) → Reshape(Shape(x)) → Mul(scale [C,1,…]) → Add(bias [C,1,…]).
// Opset-21 semantics (per-channel [C] scale/bias, what diffusers exports); opset-18 per-group [G] initializers are
// expanded to per-channel. Keeps: output name, dtype, shape, values. Deviation: stash_type is not carried
// (InstanceNormalization computes in the input dtype). Pure. Reference: ONNX Operators.md#GroupNormalization.
import { GraphError } from '../../lib/errors';
import { GraphBuilder } from '../build/GraphBuilder';
import { allocTyped } from '../ir/dtype';
import { nodeReads } from '../ir/topo';
import type { Dim, DType, Graph, Node, TensorData, TypedData } from '../ir/types';
import { cloneGraph } from './pass';
import type { Pass } from './pass';

/** rewriting state; `replaced`: initializers copied into [C,1,…] form (dropped when nothing else reads them) */
type Ctx = { graph: Graph; builder?: GraphBuilder | null; nodes: Node[]; initializers: TensorData[]; replaced: Set<string> };

/** Declared or inferred dtype and shape of `name`, or undefined. */
function infoOf(c: Ctx, name: string): { dtype: DType; shape: Dim[] } | undefined {
  const t = c.graph.initializers.find((x) => x.name === name);
  if (t) return { dtype: t.dtype, shape: t.dims };
  const vi = [...c.graph.inputs, ...c.graph.valueInfo, ...c.graph.outputs].find((v) => v.name === name);
  if (vi?.shape) return { dtype: vi.dtype, shape: vi.shape };
  if (c.builder === undefined) {
    try {
      c.builder = GraphBuilder.fromGraph(cloneGraph(c.graph));
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      c.builder = null;
    }
  }
  if (!c.builder?.has(name)) return undefined;
  const v = c.builder.get(name);
  return { dtype: v.dtype, shape: [...v.shape] };
}

function filled(dtype: DType, n: number, one: boolean): TypedData {
  const out = allocTyped(dtype, n) as Float32Array;
  if (one) out.fill(dtype === 'float16' ? 0x3c00 : dtype === 'bfloat16' ? 0x3f80 : 1);
  return out;
}

/** scale or bias as a [C, 1, …] value (rank r): a reshaped initializer, or a Reshape node. */
function perChannel(c: Ctx, gn: Node, name: string, channels: number, groups: number, rank: number, tag: string): string {
  const ones = new Array<number>(rank - 2).fill(1);
  const out = `${gn.name}/${tag}_c11`;
  const t = c.graph.initializers.find((x) => x.name === name);
  if (t?.data) {
    const len = t.data.length;
    let data = t.data;
    if (len === groups && groups !== channels) {
      data = allocTyped(t.dtype, channels);
      for (let ch = 0; ch < channels; ch++) (data as Float32Array)[ch] = (t.data as Float32Array)[Math.floor(ch / (channels / groups))] as number;
    }
    c.initializers.push({ name: out, dtype: t.dtype, dims: [channels, ...ones], data });
    c.replaced.add(name);
    return out;
  }
  const len = infoOf(c, name)?.shape[0];
  if (len !== channels) throw new GraphError(`GroupNormalization ${tag} "${name}" must be a [${channels}] value or an initializer (opset-18 per-group ${tag} needs its data)`, gn.name);
  c.initializers.push({ name: `${out}/shape`, dtype: 'int64', dims: [rank - 1], data: BigInt64Array.from([-1n, ...ones.map(BigInt)]) });
  c.nodes.push({ name: `${gn.name}/${tag}_Reshape`, opType: 'Reshape', domain: '', inputs: [name, `${out}/shape`], outputs: [out], attributes: {} });
  return out;
}

function rewrite(c: Ctx, gn: Node): void {
  const label = gn.name || gn.outputs[0] || 'GroupNormalization';
  const [x, scale, bias] = gn.inputs as [string, string, string];
  const xInfo = infoOf(c, x);
  const xShape = xInfo?.shape;
  const groupsAttr = gn.attributes.num_groups;
  if (groupsAttr?.type !== 'int') throw new GraphError('GroupNormalization needs an int num_groups attribute', label);
  const channels = xShape?.[1];
  if (!xInfo || !xShape || typeof channels !== 'number') throw new GraphError(`GroupNormalization input "${x}" needs a known rank and channel count; add value_info or run fixDims first`, label);
  const groups = groupsAttr.value;
  const eps = gn.attributes.epsilon?.type === 'float' ? gn.attributes.epsilon.value : 1e-5;
  const dtype = xInfo.dtype;
  const p = label;
  const node = { ...gn, name: p };
  c.initializers.push(
    { name: `${p}/group_shape`, dtype: 'int64', dims: [3], data: BigInt64Array.from([0n, BigInt(groups), -1n]) },
    { name: `${p}/in_scale`, dtype, dims: [groups], data: filled(dtype, groups, true) },
    { name: `${p}/in_bias`, dtype, dims: [groups], data: filled(dtype, groups, false) },
  );
  const sc = perChannel(c, node, scale, channels, groups, xShape.length, 'scale');
  const bi = perChannel(c, node, bias, channels, groups, xShape.length, 'bias');
  const n = (op: string, suffix: string, inputs: string[], out: string, attributes: Node['attributes'] = {}): void => {
    c.nodes.push({ name: `${p}/${op}${suffix}`, opType: op, domain: '', inputs, outputs: [out], attributes });
  };
  n('Reshape', '', [x, `${p}/group_shape`], `${p}/grouped`);
  n('InstanceNormalization', '', [`${p}/grouped`, `${p}/in_scale`, `${p}/in_bias`], `${p}/normed`, { epsilon: { type: 'float', value: eps } });
  n('Shape', '', [x], `${p}/x_shape`);
  n('Reshape', '_back', [`${p}/normed`, `${p}/x_shape`], `${p}/normed_back`);
  n('Mul', '', [`${p}/normed_back`, sc], `${p}/scaled`);
  n('Add', '', [`${p}/scaled`, bi], gn.outputs[0] as string);
}

/** Rewrites every ai.onnx GroupNormalization in the top-level graph; same object when there is none. */
export function groupNormToInstanceNorm(graph: Graph): Graph {
  const isGn = (n: Node) => n.opType === 'GroupNormalization' && (n.domain === '' || n.domain === 'ai.onnx');
  if (!graph.nodes.some(isGn)) return graph;
  const c: Ctx = { graph, nodes: [], initializers: [...graph.initializers], replaced: new Set() };
  for (const n of graph.nodes) {
    if (isGn(n)) rewrite(c, n);
    else c.nodes.push(n);
  }
  const read = new Set([...c.nodes.flatMap(nodeReads), ...graph.outputs.map((o) => o.name)]);
  return { ...graph, nodes: c.nodes, initializers: c.initializers.filter((t) => !c.replaced.has(t.name) || read.has(t.name)) };
}

export const groupNormToInstanceNormPass: Pass = {
  name: 'groupNormToInstanceNorm',
  run(graph) {
    const g = groupNormToInstanceNorm(graph);
    return { graph: g, changed: g !== graph };
  },
};
