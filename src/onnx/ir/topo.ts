// Topological order of a graph's nodes (Kahn's algorithm, stable: ties keep the original order). Pure.
// Values produced by no node (inputs, initializers, outer-scope captures) count as available.
// Throws GraphError naming a node on a cycle. Reference: onnx/docs/IR.md (nodes must be topologically sorted).
import { GraphError } from '../../lib/errors';
import type { Graph, Node } from './types';

/** Names a node reads, including values its subgraphs capture from the enclosing scope. */
export function nodeReads(n: Node): string[] {
  const out = n.inputs.filter((i) => i !== '');
  for (const a of Object.values(n.attributes)) if (a.type === 'graph') out.push(...outerReads(a.value));
  return out;
}

/** Values a subgraph uses without defining them (captured from the enclosing graph). */
export function outerReads(g: Graph): string[] {
  const defined = new Set<string>([...g.inputs.map((v) => v.name), ...g.initializers.map((t) => t.name)]);
  const out: string[] = [];
  for (const n of g.nodes) {
    for (const r of nodeReads(n)) if (!defined.has(r)) out.push(r);
    for (const o of n.outputs) defined.add(o);
  }
  for (const o of g.outputs) if (!defined.has(o.name)) out.push(o.name);
  return out;
}

/** Nodes of `graph` in a topological order that keeps the original order wherever it is already valid. */
export function topologicalSort(graph: Graph): Node[] {
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const consumers: number[][] = graph.nodes.map(() => []);
  const pending = graph.nodes.map((n, i) => {
    const deps = new Set<number>();
    for (const r of nodeReads(n)) {
      const p = producer.get(r);
      if (p !== undefined && p !== i) deps.add(p);
    }
    for (const d of deps) (consumers[d] as number[]).push(i);
    return deps.size;
  });
  const ready: number[] = [];
  pending.forEach((c, i) => c === 0 && ready.push(i));
  const order: Node[] = [];
  while (ready.length) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    order.push(graph.nodes[i] as Node);
    for (const c of consumers[i] as number[]) if (--(pending[c] as number) === 0) ready.push(c);
  }
  if (order.length !== graph.nodes.length) {
    const stuck = graph.nodes.find((_, i) => (pending[i] as number) > 0) as Node;
    throw new GraphError(`graph "${graph.name}" has a cycle through ${stuck.opType} (${graph.nodes.length - order.length} nodes cannot be ordered)`, stuck.name || stuck.opType);
  }
  return order;
}
