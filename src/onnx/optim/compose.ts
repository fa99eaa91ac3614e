// Merges two graphs into one: the outputs of `first` feed the same-named inputs of `second` (e.g. a backward
// graph's `grad/p` into an optimizer's `grad/p`), so a single session runs forward + backward + update.
// Pure IR surgery; never mutates its arguments. Reference: ONNX IR (graph inputs/outputs/initializers, SSA names).
import { GraphError } from '../../lib/errors';
import type { Graph, Node, TensorData, ValueInfo } from '../ir/types';

export type ComposeOptions = {
  /** name of the merged graph */
  name: string;
  /** prefix given to `second`'s node names and internal values ("update" → "update/adamw/…") */
  prefix: string;
  /** outputs of `first` that stay graph outputs (e.g. the loss); the others become internal values */
  keepFirstOutputs: readonly string[];
  /** input of `second` → output of `first` that feeds it, where the names differ (default: same names) */
  wire?: Readonly<Record<string, string>>;
};

function namesOf(g: Graph): Set<string> {
  const s = new Set<string>();
  for (const v of g.inputs) s.add(v.name);
  for (const t of g.initializers) s.add(t.name);
  for (const n of g.nodes) for (const o of n.outputs) if (o) s.add(o);
  return s;
}

function sameType(a: ValueInfo, b: ValueInfo): boolean {
  return a.dtype === b.dtype && JSON.stringify(a.shape) === JSON.stringify(b.shape);
}

/** second's value name → merged name (bound/shared inputs and outputs keep theirs; internals get the prefix). */
function renameMap(first: Graph, second: Graph, prefix: string, wire: Readonly<Record<string, string>>): Map<string, string> {
  const firstNames = namesOf(first);
  const firstValues = new Map<string, ValueInfo>([...first.inputs, ...first.outputs].map((v) => [v.name, v]));
  const keep = new Set(second.outputs.map((o) => o.name));
  const map = new Map<string, string>();
  for (const vi of second.inputs) {
    const target = wire[vi.name] ?? vi.name;
    const bound = firstValues.get(target);
    if (bound && !sameType(bound, vi)) {
      throw new GraphError(`compose ${second.name}: input "${vi.name}" is ${vi.dtype}[${vi.shape}] but ${first.name} has ${bound.dtype}[${bound.shape}]`);
    }
    if (!bound && firstNames.has(target)) throw new GraphError(`compose: input "${vi.name}" of ${second.name} collides with an internal value of ${first.name}; rename it`);
    if (target !== vi.name && !bound) throw new GraphError(`compose: wire "${vi.name}" → "${target}": ${first.name} has no input or output named "${target}"`);
    map.set(vi.name, target);
  }
  for (const o of keep) {
    if (firstNames.has(o)) throw new GraphError(`compose: output "${o}" of ${second.name} collides with a value of ${first.name}; rename it`);
  }
  const internal = [...second.initializers.map((t) => t.name), ...second.nodes.flatMap((n) => n.outputs)];
  for (const name of internal) if (name && !map.has(name)) map.set(name, keep.has(name) ? name : `${prefix}/${name}`);
  return map;
}

function renameNode(n: Node, map: Map<string, string>, prefix: string): Node {
  for (const a of Object.values(n.attributes)) {
    if (a.type === 'graph') throw new GraphError(`compose: node ${n.name} (${n.opType}) has a subgraph; subgraphs are not renamed, compose cannot merge it`);
  }
  const r = (x: string): string => (x ? (map.get(x) ?? x) : x);
  return { ...n, name: `${prefix}/${n.name}`, inputs: n.inputs.map(r), outputs: n.outputs.map(r) };
}

/**
 * Returns first ∘ second as one graph. Inputs of `second` named like an output of `first` are wired to it;
 * named like an input of `first`, they share it; otherwise they become new graph inputs. Outputs: the kept
 * outputs of `first`, then every output of `second`.
 * @throws GraphError on dtype/shape mismatch of a wired name, on name collisions, or on a missing kept output.
 */
export function composeGraphs(first: Graph, second: Graph, o: ComposeOptions): Graph {
  const firstOutputs = new Map(first.outputs.map((v) => [v.name, v]));
  for (const k of o.keepFirstOutputs) {
    if (!firstOutputs.has(k)) throw new GraphError(`compose: "${k}" is not an output of ${first.name} (outputs: ${[...firstOutputs.keys()].join(', ')})`);
  }
  const map = renameMap(first, second, o.prefix, o.wire ?? {});
  const firstInputNames = new Set(first.inputs.map((v) => v.name));
  const newInputs = second.inputs.filter((v) => {
    const target = map.get(v.name) ?? v.name;
    return !firstInputNames.has(target) && !firstOutputs.has(target);
  });
  const initializers: TensorData[] = second.initializers.map((t) => ({ ...t, name: map.get(t.name) ?? t.name }));
  const valueInfo = second.valueInfo.map((v) => ({ ...v, name: map.get(v.name) ?? v.name }));
  return {
    name: o.name,
    nodes: [...first.nodes, ...second.nodes.map((n) => renameNode(n, map, o.prefix))],
    inputs: [...first.inputs, ...newInputs],
    outputs: [...o.keepFirstOutputs.map((k) => firstOutputs.get(k) as ValueInfo), ...second.outputs],
    initializers: [...first.initializers, ...initializers],
    valueInfo: [...first.valueInfo, ...valueInfo],
  };
}
