// Pass: folds nodes whose outputs are known constants into initializers: Constant nodes, Shape of a static
// value, and nodes whose inputs are all constants and whose op schema has `fold` (Shape→Gather→Concat chains).
// Invariant kept: every value keeps its name, dtype, shape and contents; graph outputs are never folded. Pure.
import { GraphError } from '../../lib/errors';
import { lookupSchema } from '../build/registry';
import { InferContext } from '../build/schema';
import type { ValueSpec } from '../build/schema';
import { numElements } from '../ir/dtype';
import { nodeReads } from '../ir/topo';
import type { Graph, Node, TensorData, TypedData } from '../ir/types';
import type { Pass } from './pass';

export type FoldOptions = {
  /** largest initializer (elements) treated as a foldable constant (default 65536: big weights stay put) */
  maxInputElements?: number;
  /** largest folded result (elements) written as a new initializer (default 4096) */
  maxOutputElements?: number;
};

/** Output specs of `n` when inference succeeds, with constValue filled when it can be folded. */
function evaluate(n: Node, known: Map<string, ValueSpec>, maxOut: number): ValueSpec[] | undefined {
  const schema = lookupSchema(n.opType, n.domain);
  if (!schema || Object.values(n.attributes).some((a) => a.type === 'graph')) return undefined;
  const inputs = n.inputs.map((i) => (i ? known.get(i) : undefined));
  if (n.inputs.some((i, k) => i && !inputs[k])) return undefined;
  const ctx = new InferContext(n, inputs);
  try {
    const specs = schema.infer(ctx);
    const isConst = inputs.every((s, k) => !n.inputs[k] || s?.constValue);
    if (schema.fold && isConst && specs.every((s) => numElements(s.shape) <= maxOut)) {
      schema.fold(ctx, inputs.map((s) => s?.constValue as TypedData)).forEach((v, k) => specs[k] && (specs[k].constValue = v));
    }
    return specs;
  } catch (e) {
    if (e instanceof GraphError) return undefined;
    throw e;
  }
}

/** Folds what it can; returns the same graph object when nothing folds. */
export function foldConstants(graph: Graph, options: FoldOptions = {}): Graph {
  const maxIn = options.maxInputElements ?? 65536;
  const maxOut = options.maxOutputElements ?? 4096;
  const known = new Map<string, ValueSpec>();
  for (const v of graph.inputs) if (v.shape?.every((d) => typeof d === 'number')) known.set(v.name, { dtype: v.dtype, shape: v.shape as number[] });
  for (const t of graph.initializers) {
    known.set(t.name, { dtype: t.dtype, shape: [...t.dims], constValue: t.data && numElements(t.dims) <= maxIn ? t.data : undefined });
  }
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const nodes: Node[] = [];
  const added: TensorData[] = [];
  const consumed = new Set<string>();
  for (const n of graph.nodes) {
    const specs = evaluate(n, known, maxOut);
    n.outputs.forEach((o, k) => o && specs?.[k] && known.set(o, specs[k]));
    const isFoldable = specs && n.outputs.length > 0 && n.outputs.every((o, k) => o && !graphOutputs.has(o) && specs[k]?.constValue);
    if (!isFoldable) {
      nodes.push(n);
      continue;
    }
    n.outputs.forEach((o, k) => added.push({ name: o, dtype: specs[k]!.dtype, dims: [...specs[k]!.shape], data: specs[k]!.constValue }));
    for (const i of n.inputs) if (i) consumed.add(i);
  }
  if (added.length === 0) return graph;
  const stillRead = new Set([...nodes.flatMap(nodeReads), ...graph.outputs.map((o) => o.name)]);
  const initializers = [...graph.initializers, ...added].filter((t) => !consumed.has(t.name) || stillRead.has(t.name));
  const valueInfo = graph.valueInfo.filter((v) => !added.some((t) => t.name === v.name));
  return { ...graph, nodes, initializers, valueInfo };
}

export const foldConstantsPass: Pass = {
  name: 'foldConstants',
  run(graph) {
    const g = foldConstants(graph);
    return { graph: g, changed: g !== graph };
  },
};
