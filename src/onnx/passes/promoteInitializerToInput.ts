// Pass: turns named initializers (weights) into graph inputs with the same dtype and shape, so they can be fed
// from buffers the app owns (trainable weights on WebGPU, docs/platform.md). Invariant kept: every value the graph
// read before is still defined, with the same dtype and shape. Pure.
import { GraphError } from '../../lib/errors';
import type { Graph, TensorData } from '../ir/types';
import type { Pass } from './pass';

/**
 * Moves initializers `names` to graph inputs.
 * @returns graph: the new graph; removed: the initializers taken out (feed their `data` as inputs)
 * @throws GraphError naming an unknown initializer and listing a few that exist
 * @example const { graph, removed } = promoteInitializerToInput(g, ['unet.attn2.to_k.weight']);
 */
export function promoteInitializerToInput(graph: Graph, names: readonly string[]): { graph: Graph; removed: TensorData[] } {
  const wanted = new Set(names);
  const byName = new Map(graph.initializers.map((t) => [t.name, t]));
  for (const n of names) {
    if (!byName.has(n)) {
      const some = graph.initializers.slice(0, 5).map((t) => t.name).join(', ');
      throw new GraphError(`promoteInitializerToInput: graph "${graph.name}" has no initializer "${n}" (some that exist: ${some || 'none'})`);
    }
  }
  const removed = graph.initializers.filter((t) => wanted.has(t.name));
  const declared = new Set(graph.inputs.map((v) => v.name));
  const inputs = [...graph.inputs, ...removed.filter((t) => !declared.has(t.name)).map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.dims] }))];
  return { graph: { ...graph, inputs, initializers: graph.initializers.filter((t) => !wanted.has(t.name)) }, removed };
}

/** The pass form of promoteInitializerToInput (the removed data is dropped; use the function to keep it). */
export function promoteInitializerToInputPass(names: readonly string[]): Pass {
  return {
    name: 'promoteInitializerToInput',
    run(graph) {
      const r = promoteInitializerToInput(graph, names);
      return { graph: r.graph, changed: r.removed.length > 0 };
    },
  };
}
