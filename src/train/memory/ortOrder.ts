// onnxruntime's default execution order: a post-order reverse DFS from the leaf nodes (nodes whose outputs no
// other node reads), leaves in node-index order with the LAST one walked first, inputs pushed in ascending index
// order so the highest-index producer is walked first. Pure; used by liveness.ts to replay ORT's schedule.
// Reference: onnxruntime core/graph/graph_viewer.cc (GraphViewer ctor) and graph.cc Graph::ReverseDFSFrom.
import type { Graph, Node } from '../../onnx/index';

/** Producers of each node's inputs (node indices, deduplicated, ascending). */
function inputNodes(graph: Graph): { producers: number[][]; hasConsumer: boolean[] } {
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const hasConsumer = graph.nodes.map(() => false);
  const producers = graph.nodes.map((n, i) => {
    const set = new Set<number>();
    for (const r of n.inputs) {
      const p = r ? producer.get(r) : undefined;
      if (p !== undefined && p !== i) set.add(p);
    }
    for (const p of set) hasConsumer[p] = true;
    return [...set].sort((a, b) => a - b);
  });
  return { producers, hasConsumer };
}

/** The nodes of `graph` in the order onnxruntime's sequential executor runs them (no graph optimizations). */
export function ortExecutionOrder(graph: Graph): Node[] {
  const { producers, hasConsumer } = inputNodes(graph);
  const stack: [number, boolean][] = [];
  graph.nodes.forEach((_, i) => hasConsumer[i] || stack.push([i, false]));
  const visited = new Uint8Array(graph.nodes.length);
  const order: Node[] = [];
  while (stack.length) {
    const [i, isLeave] = stack.pop() as [number, boolean];
    if (isLeave) {
      order.push(graph.nodes[i] as Node);
      continue;
    }
    if (visited[i]) continue;
    visited[i] = 1;
    stack.push([i, true]);
    for (const p of producers[i] as number[]) if (!visited[p]) stack.push([p, false]);
  }
  return order;
}
