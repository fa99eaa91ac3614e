// Pass: reorders nodes topologically (stable). Invariant kept: every node input is defined before use.
// Pure; throws GraphError on a cycle. Reference: ir/topo.ts.
import { topologicalSort } from '../ir/topo';
import type { Graph } from '../ir/types';
import type { Pass } from './pass';

export const topoSortPass: Pass = {
  name: 'topoSort',
  run(graph: Graph) {
    const nodes = topologicalSort(graph);
    const changed = nodes.some((n, i) => n !== graph.nodes[i]);
    return { graph: changed ? { ...graph, nodes } : graph, changed };
  },
};
