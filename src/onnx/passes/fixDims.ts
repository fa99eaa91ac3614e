// Pass: replaces symbolic dims (dim_param such as "batch") by static sizes in inputs, outputs and value_info,
// so GraphBuilder.fromGraph can infer static shapes. Invariant kept: nodes and data are unchanged. Pure.
import { GraphError } from '../../lib/errors';
import type { Dim, Graph, ValueInfo } from '../ir/types';
import type { Pass } from './pass';

/**
 * @param dims dim_param name → static size (a positive integer)
 * @throws GraphError for a non-positive size or a name that appears nowhere (a typo would silently do nothing)
 * @example fixDims(g, { batch: 2, sequence: 77 })
 */
export function fixDims(graph: Graph, dims: Record<string, number>): Graph {
  for (const [name, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v < 1) throw new GraphError(`fixDims: size for "${name}" must be a positive integer, got ${v}`);
  }
  const seen = new Set<string>();
  const fix = (vi: ValueInfo): ValueInfo => {
    if (!vi.shape || vi.shape.every((d) => typeof d === 'number' || !Object.prototype.hasOwnProperty.call(dims, d))) return vi;
    const shape = vi.shape.map((d): Dim => {
      if (typeof d === 'string' && Object.prototype.hasOwnProperty.call(dims, d)) {
        seen.add(d);
        return dims[d] as number;
      }
      return d;
    });
    return { ...vi, shape };
  };
  const out = { ...graph, inputs: graph.inputs.map(fix), outputs: graph.outputs.map(fix), valueInfo: graph.valueInfo.map(fix) };
  const missing = Object.keys(dims).filter((d) => !seen.has(d));
  if (missing.length) {
    const params = new Set([...graph.inputs, ...graph.outputs, ...graph.valueInfo].flatMap((v) => (v.shape ?? []).filter((d): d is string => typeof d === 'string')));
    throw new GraphError(`fixDims: no dim named ${missing.map((m) => `"${m}"`).join(', ')} in graph "${graph.name}" (symbolic dims: ${[...params].join(', ') || 'none'})`);
  }
  return out;
}

export function fixDimsPass(dims: Record<string, number>): Pass {
  return {
    name: 'fixDims',
    run(graph) {
      const g = fixDims(graph, dims);
      return { graph: g, changed: g !== graph };
    },
  };
}
