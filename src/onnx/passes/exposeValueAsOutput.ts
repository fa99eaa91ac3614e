// Pass: makes intermediate values graph outputs (attention maps, activations to keep for backward). Dtype and
// shape come from declared value_info or, failing that, GraphBuilder inference. Invariant kept: nodes are
// unchanged; only outputs are added. Pure (infers on a copy).
import { GraphError } from '../../lib/errors';
import { GraphBuilder } from '../build/GraphBuilder';
import type { Graph, ValueInfo } from '../ir/types';
import { cloneGraph } from './pass';
import type { Pass } from './pass';

/**
 * Adds `names` as graph outputs (already-exposed names are skipped).
 * @throws GraphError naming a value no node produces, or one whose shape cannot be inferred
 * @example exposeValueAsOutput(g, ['up.1/attn2/Softmax:0'])
 */
export function exposeValueAsOutput(graph: Graph, names: readonly string[]): Graph {
  const already = new Set(graph.outputs.map((o) => o.name));
  const todo = names.filter((n) => !already.has(n));
  if (todo.length === 0) return graph;
  const defined = new Set([...graph.inputs.map((v) => v.name), ...graph.initializers.map((t) => t.name), ...graph.nodes.flatMap((n) => n.outputs)]);
  for (const n of todo) if (!defined.has(n)) throw new GraphError(`exposeValueAsOutput: graph "${graph.name}" has no value "${n}"`);
  const declared = new Map(graph.valueInfo.map((v) => [v.name, v]));
  let builder: GraphBuilder | undefined;
  const infos = todo.map((name): ValueInfo => {
    const d = declared.get(name);
    if (d && d.shape) return { name, dtype: d.dtype, shape: [...d.shape] };
    builder ??= GraphBuilder.fromGraph(cloneGraph(graph));
    const v = builder.get(name);
    return { name, dtype: v.dtype, shape: [...v.shape] };
  });
  return { ...graph, outputs: [...graph.outputs, ...infos] };
}

export function exposeValueAsOutputPass(names: readonly string[]): Pass {
  return {
    name: 'exposeValueAsOutput',
    run(graph) {
      const g = exposeValueAsOutput(graph, names);
      return { graph: g, changed: g !== graph };
    },
  };
}
