// makeTrainable: turns an imported UNet graph into what the DisenDiff trainer needs (docs/disendiff.md §2.1, §2.5):
// the chosen cross-attention probabilities become graph outputs named `<layer>.attn_probs` (as buildUnet names
// them), and their to_k/to_v weights become graph inputs fed from buffers the app owns (docs/platform.md). Every
// other node and weight is kept. Pure: returns a new graph and the initial K/V values; never mutates its input.
// Fused attention ops must be unfused first (unfuseAttention), or their layers are not found.
import { GraphError } from '../../lib/errors';
import type { Graph, TensorData, ValueInfo } from '../ir/types';
import { exposeValueAsOutput } from '../passes/exposeValueAsOutput';
import { promoteInitializerToInput } from '../passes/promoteInitializerToInput';
import { findCrossAttention } from './findCrossAttention';
import type { CrossAttentionMatch, FindCrossAttentionOptions } from './findCrossAttention';

export type MakeTrainableOptions = FindCrossAttentionOptions & {
  /** which layers: all (default), a predicate, or a list of layer names (diffusers module paths) */
  layers?: ((layer: CrossAttentionMatch) => boolean) | readonly string[];
  /** expose the probabilities of the chosen layers as outputs (default true) */
  exposeProbs?: boolean;
  /** promote the chosen layers' to_k/to_v weights to graph inputs (default true) */
  promoteKV?: boolean;
};

/** One chosen layer with the names the trainer feeds and reads. */
export type TrainableLayer = CrossAttentionMatch & {
  /** graph output with the probabilities (undefined when exposeProbs is false) */
  output: string | undefined;
};

export type TrainableGraph = {
  graph: Graph;
  layers: TrainableLayer[];
  /** K/V weight names now graph inputs, in layer order (to_k, then to_v; once for a packed K/V weight) */
  kvInputs: string[];
  /** the promoted weights' initial values (feed them, or export them as a delta baseline) */
  kvInitial: TensorData[];
};

function choose(all: CrossAttentionMatch[], req: MakeTrainableOptions['layers']): CrossAttentionMatch[] {
  if (req === undefined) return all;
  if (typeof req === 'function') return all.filter(req);
  const missing = req.filter((name) => !all.some((l) => l.layer === name));
  if (missing.length > 0) {
    throw new GraphError(`makeTrainable: no cross-attention layer named ${missing.join(', ')}; found: ${all.map((l) => l.layer).join(', ') || 'none'}`);
  }
  return all.filter((l) => req.includes(l.layer));
}

/** Adds Identity nodes `<layer>.attn_probs` reading each Softmax output, with their value info. */
function addProbsAliases(graph: Graph, layers: CrossAttentionMatch[]): { graph: Graph; names: string[] } {
  const taken = new Set([...graph.nodes.flatMap((n) => n.outputs), ...graph.inputs.map((v) => v.name), ...graph.initializers.map((t) => t.name)]);
  const names = layers.map((l) => `${l.layer}.attn_probs`);
  const clash = names.find((n) => taken.has(n));
  if (clash) throw new GraphError(`makeTrainable: the graph already has a value "${clash}"; was makeTrainable applied twice?`);
  const nodes = layers.map((l, i) => ({ name: `${l.layer}/attn_probs/Identity`, opType: 'Identity', domain: '', inputs: [l.probs], outputs: [names[i] as string], attributes: {} }));
  const infos: ValueInfo[] = layers.map((l, i) => ({ name: names[i] as string, dtype: 'float32', shape: [...l.probsShape] }));
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes], valueInfo: [...graph.valueInfo, ...infos] }, names };
}

/**
 * Exposes cross-attention probabilities and promotes their K/V weights to inputs.
 * @throws GraphError when no cross-attention layer is found (fused attention? call unfuseAttention first),
 *         or a requested layer name does not exist
 * @example const t = makeTrainable(unfuseAttention(g), { layers: (l) => l.resolution[0] === 16 });
 */
export function makeTrainable(graph: Graph, options: MakeTrainableOptions = {}): TrainableGraph {
  const all = findCrossAttention(graph, options);
  if (all.length === 0) {
    const fused = graph.nodes.filter((n) => n.domain === 'com.microsoft' && /Attention/.test(n.opType)).length;
    const hint = fused > 0 ? ` It has ${fused} fused com.microsoft attention nodes: call unfuseAttention first.` : '';
    throw new GraphError(`makeTrainable: graph "${graph.name}" has no cross-attention layer reading "${options.context ?? 'encoder_hidden_states'}".${hint}`);
  }
  const chosen = choose(all, options.layers);
  let g = graph;
  let outputs: string[] = [];
  if (options.exposeProbs ?? true) {
    const aliased = addProbsAliases(g, chosen);
    g = exposeValueAsOutput(aliased.graph, aliased.names);
    outputs = aliased.names;
  }
  let kvInputs: string[] = [];
  let kvInitial: TensorData[] = [];
  if (options.promoteKV ?? true) {
    kvInputs = [...new Set(chosen.flatMap((l) => (l.toV ? [l.toK, l.toV] : [l.toK])))];
    const initializerNames = new Set(g.initializers.map((t) => t.name));
    const r = promoteInitializerToInput(g, kvInputs.filter((n) => initializerNames.has(n)));
    g = r.graph;
    kvInitial = r.removed;
  }
  const layers = chosen.map((l, i) => ({ ...l, output: outputs[i] }));
  return { graph: g, layers, kvInputs, kvInitial };
}
