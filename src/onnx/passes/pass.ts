// The graph-pass contract (onnxscript style): a pass takes a graph and returns a new graph plus whether it
// changed anything; it never mutates its input. runPasses applies a list in order. Pure.
// Reference: docs/house-style.md §11 "Fixed parts per kind of file: pass".
import type { Graph, Node } from '../ir/types';

/** One graph transformation. `run` must not mutate `graph`; it returns a new graph (or the same when unchanged). */
export interface Pass {
  name: string;
  run(graph: Graph): { graph: Graph; changed: boolean };
}

/** Applies `passes` in order; `changed` lists the names of the passes that changed the graph. */
export function runPasses(graph: Graph, passes: readonly Pass[]): { graph: Graph; changed: string[] } {
  let g = graph;
  const changed: string[] = [];
  for (const p of passes) {
    const r = p.run(g);
    g = r.graph;
    if (r.changed) changed.push(p.name);
  }
  return { graph: g, changed };
}

/** A structural copy: arrays, nodes, value infos and attribute maps are new; tensor payloads are shared. */
export function cloneGraph(g: Graph): Graph {
  return {
    ...g,
    nodes: g.nodes.map(cloneNode),
    inputs: g.inputs.map((v) => ({ ...v, shape: v.shape && [...v.shape] })),
    outputs: g.outputs.map((v) => ({ ...v, shape: v.shape && [...v.shape] })),
    initializers: g.initializers.map((t) => ({ ...t, dims: [...t.dims] })),
    valueInfo: g.valueInfo.map((v) => ({ ...v, shape: v.shape && [...v.shape] })),
  };
}

function cloneNode(n: Node): Node {
  const attributes: Node['attributes'] = {};
  for (const [k, a] of Object.entries(n.attributes)) attributes[k] = a.type === 'graph' ? { type: 'graph', value: cloneGraph(a.value) } : a;
  return { ...n, inputs: [...n.inputs], outputs: [...n.outputs], attributes };
}
