// Reverse-mode autodiff over ONNX graphs: from a forward graph, a scalar loss and wrt values, emits ONE graph
// computing the loss and dLoss/dwrt with ordinary inference ops (runs on onnxruntime-web WebGPU and -node).
// Never mutates the input graph. Reference: docs/house-style.md §11 "gradient rule"; tinygrad gradient.py.
//
// Notes (read before adding a rule, see rules/index.ts for the rule contract):
// 1. Plan first (plan.ts): only nodes on a wrt → loss path are differentiated ("active"); a missing rule on
//    such a path is ONE MissingGradientError listing every op type, thrown before any node is emitted.
// 2. Seed dLoss = 1 (loss must have one element). Nodes are visited in reverse topological order; fan-out
//    gradients are summed with Add (`grad/sum/<value>/Add`); a rule's gradient with a broadcast shape is
//    reduced to its input's shape by unbroadcast.ts (ReduceSum over broadcast axes + Reshape).
// 3. stopGradient(x) is a forward Identity whose docString is STOP_GRADIENT_MARK: nothing flows through it.
//    Non-float values (indices, masks, shapes) never carry gradients.
// 4. A wrt value that does not reach the loss gets a zeros gradient (Expand of a scalar 0), not an error.
// 5. Recomputation (options.recompute, recompute.ts): rules of a segment read recomputed copies of the
//    segment's own forward values, so only segment boundaries are kept for the backward.
// 6. Outputs: [loss, grad/<wrt>..., keepOutputs...]; forward nodes none of them needs are pruned; all graph
//    inputs and initializers are kept. Generated nodes are named `grad/<forward node name>/<OpType>`.
import { assert } from '../../lib/assert';
import { GraphError, MissingGradientError } from '../../lib/errors';
import { GraphBuilder } from '../build/GraphBuilder';
import { Add } from '../build/opset/Add';
import { Identity } from '../build/opset/Identity';
import { sameShape } from '../build/shapes';
import type { Var } from '../build/Var';
import { isFloat, numElements } from '../ir/dtype';
import type { Graph, Node } from '../ir/types';
import { zeros } from './helpers';
import { STOP_GRADIENT_MARK, planBackward, pruneDeadNodes, qualifiedOpType, ruleOf } from './plan';
import { RECOMPUTE_SCOPE, Recomputer } from './recompute';
import type { RecomputeSegmentOf } from './recompute';
import { GradContext } from './rule';
import { GRAD_RULES } from './rules/index';
import { unbroadcast } from './unbroadcast';

export type BackwardOptions = {
  /** name of the scalar (one-element) float loss value */
  loss: string;
  /** values to differentiate with respect to (graph inputs, initializers or intermediate float values) */
  wrt: string[];
  /** extra forward values to expose as outputs after the gradients */
  keepOutputs?: string[];
  /**
   * Activation recomputation: forward node → segment key (undefined: never recomputed). A rule of a segment reads
   * recomputed copies of the values produced inside its segment (recompute.ts); gradients are unchanged.
   */
  recompute?: RecomputeSegmentOf;
};

export type BackwardResult = {
  graph: Graph;
  /** name of the loss output */
  loss: string;
  /** wrt name → gradient output name (`grad/<wrt>`) */
  grads: Record<string, string>;
};

/** Collects gradient contributions per forward value and sums them once, on first read. */
class GradAccumulator {
  /** value name → contributions (a single entry after total() summed them) */
  private readonly parts = new Map<string, Var[]>();

  constructor(private readonly b: GraphBuilder) {}

  add(value: string, g: Var): void {
    const list = this.parts.get(value);
    if (list) list.push(g);
    else this.parts.set(value, [g]);
  }

  total(value: string): Var | undefined {
    const list = this.parts.get(value);
    if (!list || list.length === 0) return undefined;
    const sum = this.b.scope(`grad/sum/${value}`, () => list.slice(1).reduce((acc, g) => Add(acc, g), list[0] as Var));
    this.parts.set(value, [sum]);
    return sum;
  }
}

function copyGraph(g: Graph): Graph {
  return {
    ...g,
    nodes: g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attributes: { ...n.attributes } })),
    inputs: g.inputs.map((v) => ({ ...v })),
    outputs: g.outputs.map((v) => ({ ...v })),
    initializers: [...g.initializers],
    valueInfo: [...g.valueInfo],
  };
}

function validate(b: GraphBuilder, o: BackwardOptions): Var {
  if (!b.has(o.loss)) throw new GraphError(`buildGradientGraph: loss "${o.loss}" is not a value of graph ${b.graph.name}`);
  const loss = b.get(o.loss);
  if (!isFloat(loss.dtype) || numElements(loss.shape) !== 1) {
    throw new GraphError(`buildGradientGraph: loss "${o.loss}" must be one float element, got ${loss.dtype}[${loss.shape.join(',')}]; reduce it first (ReduceMean/ReduceSum)`);
  }
  if (o.wrt.length === 0) throw new GraphError('buildGradientGraph: wrt is empty; name the graph inputs or initializers to differentiate');
  for (const w of [...o.wrt, ...(o.keepOutputs ?? [])]) {
    if (!b.has(w)) throw new GraphError(`buildGradientGraph: "${w}" is not a value of graph ${b.graph.name}`);
  }
  for (const w of o.wrt) if (!isFloat(b.get(w).dtype)) throw new GraphError(`buildGradientGraph: wrt "${w}" has dtype ${b.get(w).dtype}; only float values have gradients`);
  if (new Set(o.wrt).size !== o.wrt.length) throw new GraphError(`buildGradientGraph: wrt lists a value twice: [${o.wrt.join(', ')}]`);
  return loss;
}

function emitNode(b: GraphBuilder, node: Node, index: number, needed: ReadonlySet<number>, acc: GradAccumulator, rc: Recomputer | undefined): void {
  const dys = node.outputs.map((o) => (o ? acc.total(o) : undefined));
  if (dys.every((d) => !d) || needed.size === 0) return;
  const rule = ruleOf(node, GRAD_RULES);
  assert(rule, `planned node ${node.name} has no rule`);
  const resolve = rc ? (name: string) => rc.resolve(node, name, dys) : (name: string) => b.get(name);
  const ctx = new GradContext(b, node, resolve, dys, needed);
  b.scope(`grad/${node.name || `${node.opType}_${index}`}`, () => {
    const grads = rule.grad(ctx);
    for (const i of needed) {
      const g = grads[i];
      const name = node.inputs[i];
      if (!g || !name) continue;
      const x = b.get(name);
      const r = unbroadcast(g, x.shape);
      if (!sameShape(r.shape, x.shape) || r.dtype !== x.dtype) {
        throw new GraphError(`gradient rule ${node.opType} returned ${r.dtype}[${r.shape.join(',')}] for input ${i}, expected ${x.dtype}[${x.shape.join(',')}]`, node.name);
      }
      acc.add(x.name, r);
      rc?.noteGradient(node, x.name, r);
    }
  });
}

/** Removes the constants of recomputation gates that pruning left without a reader (original initializers stay). */
function dropUnusedRecomputeConstants(graph: Graph): void {
  const read = new Set(graph.nodes.flatMap((n) => n.inputs));
  graph.initializers = graph.initializers.filter((t) => !t.name.startsWith(`${RECOMPUTE_SCOPE}/`) || read.has(t.name));
}

/**
 * Builds one graph computing `loss` and its gradients w.r.t. `wrt`.
 * @param graph forward graph (static shapes, nodes in topological order); not mutated
 * @param options loss (one-element float value), wrt (float values), keepOutputs (extra outputs)
 * @returns the new graph, the loss output name and wrt → `grad/<wrt>` output names
 * @throws MissingGradientError listing every op type on a wrt → loss path without a rule
 * @throws GraphError for a bad loss/wrt name, a non-scalar loss or a rule that returned a bad shape
 * @example const { graph, grads } = buildGradientGraph(b.graph, { loss: 'loss', wrt: ['w'] }); // grads.w === 'grad/w'
 */
export function buildGradientGraph(graph: Graph, options: BackwardOptions): BackwardResult {
  const copy = copyGraph(graph);
  const b = GraphBuilder.fromGraph(copy);
  const loss = validate(b, options);
  const plan = planBackward(copy, loss.name, options.wrt, GRAD_RULES, (v) => b.get(v).dtype);
  if (plan.missing.length) {
    throw new MissingGradientError([...new Set(plan.missing.map(qualifiedOpType))].sort(), plan.missing.map((n) => n.name));
  }
  const acc = new GradAccumulator(b);
  const rc = options.recompute ? new Recomputer(b, copy, options.recompute) : undefined;
  acc.add(loss.name, b.scope('grad/seed', () => b.constant([1], loss.dtype, loss.shape)));
  plan.active.forEach((node, k) => {
    const index = plan.active.length - 1 - k;
    const n = plan.active[index] as Node;
    emitNode(b, n, index, plan.needed.get(n) ?? new Set(), acc, rc);
  });
  copy.outputs = [];
  b.output(loss);
  const grads: Record<string, string> = {};
  for (const w of options.wrt) {
    const x = b.get(w);
    const g = acc.total(w) ?? b.scope(`grad/${w}`, () => zeros(b, x.dtype, x.shape));
    grads[w] = b.output(g, `grad/${w}`).name;
  }
  for (const k of options.keepOutputs ?? []) if (k !== loss.name) b.output(b.get(k));
  pruneDeadNodes(copy);
  if (rc) dropUnusedRecomputeConstants(copy);
  return { graph: copy, loss: loss.name, grads };
}

/**
 * Forward identity that the walker treats as a constant: no gradient flows from its output to `x`.
 * Used for DisenDiff's detached SOS K/V and the detached class map of the binding loss (docs/disendiff.md §2).
 * @param x the value to detach
 * @param name node name hint (default "StopGradient", scoped like any node)
 */
export function stopGradient(x: Var, name?: string): Var {
  const y = Identity(x, name ?? 'StopGradient');
  const nodes = x.builder.graph.nodes;
  const node = nodes[nodes.length - 1];
  assert(node && node.outputs[0] === y.name, `stopGradient: last node does not produce ${y.name}`);
  node.docString = STOP_GRADIENT_MARK;
  return y;
}
