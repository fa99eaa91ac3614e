// Pass: removes nodes none of whose outputs reach a graph output (dead code after exposing/rewiring), then
// unused initializers and, on request, unused graph inputs. Invariant kept: graph outputs and every value they
// depend on are unchanged. Pure. Reference: onnxscript's remove_unused_nodes.
import type { Graph, Node } from '../ir/types';
import { nodeReads } from '../ir/topo';
import type { Pass } from './pass';

export type PruneOptions = {
  /** drop initializers no kept node reads (default true) */
  removeUnusedInitializers?: boolean;
  /** drop graph inputs no kept node reads (default false: a session's input list is an API) */
  removeUnusedInputs?: boolean;
};

/** Returns `graph` without dead nodes (and unused initializers/inputs per options); same object when nothing is dead. */
export function prune(graph: Graph, options: PruneOptions = {}): Graph {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i] as Node;
    if (!n.outputs.some((o) => live.has(o))) continue;
    kept.push(n);
    for (const r of nodeReads(n)) live.add(r);
  }
  kept.reverse();
  const initializers = options.removeUnusedInitializers === false ? graph.initializers : graph.initializers.filter((t) => live.has(t.name));
  const inputs = options.removeUnusedInputs ? graph.inputs.filter((v) => live.has(v.name)) : graph.inputs;
  if (kept.length === graph.nodes.length && initializers.length === graph.initializers.length && inputs.length === graph.inputs.length) return graph;
  const produced = new Set(kept.flatMap((n) => n.outputs));
  return { ...graph, nodes: kept, initializers, inputs, valueInfo: graph.valueInfo.filter((v) => produced.has(v.name)) };
}

export function prunePassWith(options: PruneOptions): Pass {
  return {
    name: 'prune',
    run(graph) {
      const g = prune(graph, options);
      return { graph: g, changed: g !== graph };
    },
  };
}

/** prune with default options. */
export const prunePass: Pass = prunePassWith({});
