// Lenient static shape propagation over an imported graph: the toolkit's op schemas for ai.onnx nodes, declared
// value_info for the rest, and optional extra rules (e.g. com.microsoft attention ops). Unlike
// GraphBuilder.fromGraph it never throws on an unknown op: values it cannot infer are simply absent.
// Pure: reads the graph, never mutates it. Reference: build/GraphBuilder.ts inferNode (both fold through build/schema.ts foldInto).
import { lookupSchema } from '../build/registry';
import { foldInto, InferContext, MAX_FOLD_ELEMENTS } from '../build/schema';
import type { ValueSpec } from '../build/schema';
import { numElements } from '../ir/dtype';
import type { Graph, Node } from '../ir/types';

/** Shape rule for ops without a toolkit schema: output specs, or undefined when it cannot tell. */
export type ExtraShapeRule = (node: Node, inputs: (ValueSpec | undefined)[]) => ValueSpec[] | undefined;


function isStatic(shape: readonly (number | string)[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number' && d >= 0);
}

function seed(graph: Graph): Map<string, ValueSpec> {
  const specs = new Map<string, ValueSpec>();
  for (const vi of [...graph.valueInfo, ...graph.inputs]) if (isStatic(vi.shape)) specs.set(vi.name, { dtype: vi.dtype, shape: [...vi.shape] });
  for (const t of graph.initializers) {
    const constValue = t.data && numElements(t.dims) <= MAX_FOLD_ELEMENTS ? t.data : undefined;
    specs.set(t.name, { dtype: t.dtype, shape: [...t.dims], constValue });
  }
  return specs;
}

function inferOne(node: Node, inputs: (ValueSpec | undefined)[], extra: ExtraShapeRule | undefined): ValueSpec[] | undefined {
  const schema = lookupSchema(node.opType, node.domain);
  if (!schema) return extra?.(node, inputs);
  if (node.inputs.some((name, i) => name !== '' && inputs[i] === undefined)) return undefined;
  const ctx = new InferContext(node, inputs);
  let out: ValueSpec[];
  try {
    out = schema.infer(ctx);
  } catch {
    return undefined;
  }
  foldInto(schema, ctx, inputs, out);
  return out;
}

/**
 * Static specs (dtype, shape, small constant values) of every value that can be inferred.
 * Nodes must be in topological order. Declared value_info wins over nothing, inference wins over value_info.
 * @returns value name → spec (absent when unknown)
 */
export function inferShapes(graph: Graph, extra?: ExtraShapeRule): Map<string, ValueSpec> {
  const specs = seed(graph);
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((n) => (n ? specs.get(n) : undefined));
    const out = inferOne(node, inputs, extra);
    if (!out) continue;
    node.outputs.forEach((o, i) => {
      const s = out[i];
      if (o && s) specs.set(o, s);
    });
  }
  return specs;
}
