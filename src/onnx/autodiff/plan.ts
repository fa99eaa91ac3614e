// Planning of a backward pass: which forward nodes lie between the wrt values and the loss, which of their
// inputs want a gradient, and which of them have no rule. Pure set arithmetic over a Graph; emits nothing.
// Reference: reverse-mode AD as in tinygrad's gradient.py (walk only the nodes on a wrt→loss path).
import { isFloat } from '../ir/dtype';
import type { DType, Graph, Node } from '../ir/types';
import type { GradRule } from './rule';

/** Node docString that marks a forward Identity as a stop-gradient (see stopGradient in backward.ts). */
export const STOP_GRADIENT_MARK = 'disenstudio:stop_gradient';

export type BackwardPlan = {
  /** active nodes in forward (topological) order: on a path wrt → loss, gradient flows through them */
  active: Node[];
  /** active node → input indices whose gradient is needed */
  needed: Map<Node, Set<number>>;
  /** nodes on a path that have no gradient rule (reported as one MissingGradientError) */
  missing: Node[];
};

export function isStopGradient(node: Node): boolean {
  return node.opType === 'Identity' && node.docString === STOP_GRADIENT_MARK;
}

/** The rule of an ai.onnx node; nodes of other domains (com.microsoft, …) never match an ai.onnx rule. */
export function ruleOf(node: Node, rules: ReadonlyMap<string, GradRule>): GradRule | undefined {
  return node.domain === '' || node.domain === 'ai.onnx' ? rules.get(node.opType) : undefined;
}

/** Op type as reported in errors: "Gelu" for ai.onnx, "com.microsoft.Gelu" otherwise. */
export function qualifiedOpType(node: Node): string {
  return node.domain === '' || node.domain === 'ai.onnx' ? node.opType : `${node.domain}.${node.opType}`;
}

function differentiableInputs(node: Node, rule: GradRule | undefined): number[] {
  if (!rule) return node.inputs.map((_, i) => i);
  if (rule.differentiable === 'none') return [];
  return rule.differentiable.filter((i) => i < node.inputs.length && node.inputs[i] !== '');
}

/** Values that depend differentiably on a wrt value (forward sweep). Stop-gradient and non-float values cut. */
function dependentValues(graph: Graph, wrt: readonly string[], rules: ReadonlyMap<string, GradRule>, dtypeOf: (v: string) => DType): Set<string> {
  const dep = new Set(wrt);
  for (const node of graph.nodes) {
    if (isStopGradient(node)) continue;
    const diff = differentiableInputs(node, ruleOf(node, rules));
    if (!diff.some((i) => dep.has(node.inputs[i] as string))) continue;
    for (const o of node.outputs) if (o && isFloat(dtypeOf(o))) dep.add(o);
  }
  return dep;
}

/** Values the `targets` depend on (backward sweep), the targets included; `isCut` nodes are not crossed. */
export function ancestorValues(graph: Graph, targets: readonly string[], isCut: (node: Node) => boolean = () => false): Set<string> {
  const need = new Set(targets);
  for (let k = graph.nodes.length - 1; k >= 0; k--) {
    const node = graph.nodes[k] as Node;
    if (isCut(node)) continue;
    if (node.outputs.some((o) => need.has(o))) for (const i of node.inputs) if (i) need.add(i);
  }
  return need;
}

/** Plans the backward pass of `loss` w.r.t. `wrt` over `graph` (nodes in topological order). */
export function planBackward(graph: Graph, loss: string, wrt: readonly string[], rules: ReadonlyMap<string, GradRule>, dtypeOf: (v: string) => DType): BackwardPlan {
  const dep = dependentValues(graph, wrt, rules, dtypeOf);
  const anc = ancestorValues(graph, [loss], isStopGradient);
  const active: Node[] = [];
  const missing: Node[] = [];
  const needed = new Map<Node, Set<number>>();
  for (const node of graph.nodes) {
    if (isStopGradient(node)) continue;
    if (!node.outputs.some((o) => anc.has(o) && dep.has(o))) continue;
    const rule = ruleOf(node, rules);
    if (!rule) {
      missing.push(node);
      continue;
    }
    const want = differentiableInputs(node, rule).filter((i) => dep.has(node.inputs[i] as string));
    active.push(node);
    needed.set(node, new Set(want));
  }
  return { active, needed, missing };
}

/** Keeps only nodes some graph output depends on (forward order preserved); inputs and initializers stay. */
export function pruneDeadNodes(graph: Graph): void {
  const need = ancestorValues(graph, graph.outputs.map((o) => o.name));
  graph.nodes = graph.nodes.filter((n) => n.outputs.some((o) => need.has(o)));
}
