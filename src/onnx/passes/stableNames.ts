// Pass: gives every unnamed node a stable readable name `<scope>/<OpType>_<k>` (ir/names.ts). Invariant kept:
// named nodes keep their names, and node names become unique among the renamed ones. Pure.
import { assignStableNames } from '../ir/names';
import type { Graph } from '../ir/types';
import type { Pass } from './pass';

export const stableNamesPass: Pass = {
  name: 'stableNames',
  run(graph: Graph) {
    const nodes = assignStableNames(graph);
    const changed = nodes.some((n, i) => n !== graph.nodes[i]);
    return { graph: changed ? { ...graph, nodes } : graph, changed };
  },
};
