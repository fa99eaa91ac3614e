// Graph well-formedness check: every node input is defined before use (graph inputs, initializers, earlier
// node outputs, or an enclosing graph's values), every value is produced once, graph outputs exist, and node
// domains are imported. Pure; throws GraphError naming the node. Reference: onnx/docs/IR.md "Graphs".
import { GraphError } from '../../lib/errors';
import type { Graph, Model } from '../ir/types';

/**
 * Validates a decoded or built model before it is transformed or run.
 * @throws GraphError naming the first offending node or value
 * @example validateModel(decodeModel(bytes));
 */
export function validateModel(model: Model): void {
  const domains = new Set(model.opsetImports.map((o) => (o.domain === 'ai.onnx' ? '' : o.domain)));
  validateGraph(model.graph, new Set(), domains);
}

/** Validates one graph; `outer` holds the names visible from enclosing graphs (for If/Loop bodies). */
export function validateGraph(graph: Graph, outer: ReadonlySet<string> = new Set(), domains?: ReadonlySet<string>): void {
  const where = `graph "${graph.name}"`;
  const produced = new Set<string>();
  const define = (name: string, by: string, nodeName?: string) => {
    if (!name) return;
    if (produced.has(name)) throw new GraphError(`${where}: value "${name}" is defined twice (again by ${by})`, nodeName);
    produced.add(name);
  };
  const initNames = new Set(graph.initializers.map((t) => t.name));
  for (const vi of graph.inputs) if (!initNames.has(vi.name)) define(vi.name, 'a graph input');
  for (const t of graph.initializers) define(t.name, 'an initializer');
  const visible = (name: string) => produced.has(name) || outer.has(name);
  graph.nodes.forEach((n, i) => {
    const label = n.name || `#${i} (${n.opType})`;
    if (domains && !domains.has(n.domain === 'ai.onnx' ? '' : n.domain)) {
      throw new GraphError(`${where}: node uses domain "${n.domain}", which the model does not import (imports: ${[...domains].map((d) => `"${d}"`).join(', ')})`, label);
    }
    for (const input of n.inputs) {
      if (input && !visible(input)) throw new GraphError(`${where}: ${n.opType} input "${input}" is not defined before this node (check node order or a missing initializer)`, label);
    }
    for (const a of Object.values(n.attributes)) {
      if (a.type === 'graph') validateGraph(a.value, new Set([...outer, ...produced]), domains);
    }
    for (const o of n.outputs) define(o, `node ${label}`, label);
  });
  for (const o of graph.outputs) {
    if (!visible(o.name)) throw new GraphError(`${where}: graph output "${o.name}" is produced by no node, input or initializer`);
  }
}
