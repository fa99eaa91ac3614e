// Read-only lookups over one graph for pattern matching: who produces a value, who reads it, which values are
// constants (initializers or Constant outputs). Pure; build once per matcher run, never mutate the graph.
// Reference: onnxscript rewriter's producer/consumer queries.
import type { Graph, Node } from '../ir/types';

export class GraphIndex {
  /** value name → node producing it */
  private readonly producers = new Map<string, Node>();
  /** value name → nodes reading it, in graph order */
  private readonly consumers = new Map<string, Node[]>();
  /** initializer names and outputs of Constant nodes */
  private readonly constants = new Set<string>();
  /** graph input names */
  readonly inputs: Set<string>;

  constructor(readonly graph: Graph) {
    this.inputs = new Set(graph.inputs.map((v) => v.name));
    for (const t of graph.initializers) this.constants.add(t.name);
    for (const n of graph.nodes) {
      for (const o of n.outputs) if (o) this.producers.set(o, n);
      if (n.opType === 'Constant' && n.domain === '') n.outputs.forEach((o) => this.constants.add(o));
      for (const i of n.inputs) {
        if (!i) continue;
        const list = this.consumers.get(i);
        if (list) list.push(n);
        else this.consumers.set(i, [n]);
      }
    }
  }

  producer(value: string): Node | undefined {
    return this.producers.get(value);
  }

  readers(value: string): Node[] {
    return this.consumers.get(value) ?? [];
  }

  isConstant(value: string): boolean {
    return this.constants.has(value);
  }

  /** A weight: an initializer, or a graph input other than `exclude` (a weight already promoted). */
  isWeight(value: string, exclude: ReadonlySet<string>): boolean {
    return this.constants.has(value) || (this.inputs.has(value) && !exclude.has(value));
  }
}
