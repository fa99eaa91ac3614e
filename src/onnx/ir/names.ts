// Stable, readable names for unnamed nodes: `<scope>/<OpType>_<k>`, where scope is the first output's name up
// to its last '/', and k counts per scope and op type in graph order. Pure; same graph → same names.
// Reference: docs/house-style.md §11 "Graph names" (ORT errors must point somewhere meaningful).
import type { Graph, Node } from './types';

/** The scope of a value name: "down/attn/q:0" → "down/attn"; "" when it has no '/'. */
export function scopeOf(valueName: string): string {
  const i = valueName.lastIndexOf('/');
  return i < 0 ? '' : valueName.slice(0, i);
}

/** Nodes of `graph` with every empty name replaced; named nodes are untouched. Subgraphs are named too. */
export function assignStableNames(graph: Graph): Node[] {
  const used = new Set(graph.nodes.map((n) => n.name).filter((n) => n !== ''));
  const counters = new Map<string, number>();
  return graph.nodes.map((n) => {
    const attributes = renameSubgraphs(n);
    if (n.name) return attributes === n.attributes ? n : { ...n, attributes };
    const scope = scopeOf(n.outputs[0] ?? '');
    const base = scope ? `${scope}/${n.opType}` : n.opType;
    let k = counters.get(base) ?? 0;
    while (used.has(`${base}_${k}`)) k++;
    counters.set(base, k + 1);
    const name = `${base}_${k}`;
    used.add(name);
    return { ...n, name, attributes };
  });
}

function renameSubgraphs(n: Node): Node['attributes'] {
  let out = n.attributes;
  for (const [k, a] of Object.entries(n.attributes)) {
    if (a.type !== 'graph' || a.value.nodes.every((x) => x.name)) continue;
    if (out === n.attributes) out = { ...n.attributes };
    out[k] = { type: 'graph', value: { ...a.value, nodes: assignStableNames(a.value) } };
  }
  return out;
}
