// The scaffolding every optimizer update graph shares: declares the inputs of each parameter, prepares the
// gradients (mean over micro-batches, global-norm clipping, finite check), applies the optimizer's rule and
// guards every output with the finite check (NaN/Inf guard: a non-finite gradient leaves all state unchanged).
// Pure graph building; no onnxruntime. Reference: torch.nn.utils.clip_grad_norm_ (torch 1.13 / 2.x).
import { GraphError } from '../../lib/errors';
import { GraphBuilder } from '../build/GraphBuilder';
import type { Var } from '../build/Var';
import type { Graph } from '../ir/types';
import * as op from '../build/opset/index';
import type { GradPrepOptions, OptimizerGraph, ParamSpec } from './types';
import { gradName, nextName, slotName } from './types';

/**
 * What an optimizer's per-parameter rule sees: the parameter, its prepared gradient, its state slots, and g² of
 * that gradient when the norm computation already made it (no clipping or averaging rescaled g afterwards).
 */
export type UpdateInputs = { param: Var; grad: Var; state: Var[]; gradSquared?: Var };
/** The rule's result: the new parameter and the new state, in slot order. */
export type UpdateOutputs = { param: Var; state: Var[] };
/** Built once per graph from the scalar inputs `lr` and `step` (float32 []); returns the per-parameter rule. */
export type RuleFactory = (b: GraphBuilder, lr: Var, step: Var) => (x: UpdateInputs) => UpdateOutputs;

type PreparedGrads = { grads: Var[]; gradNorm: Var; isFinite: Var; squared?: Var[] };

/**
 * (1) g ← g / N (accumulated micro-batches); (2) ‖g‖ = sqrt(Σ_p Σ g²) (the global norm, returned before clipping);
 * (3) finite ⇔ Σ g² < +∞: false for any NaN/±Inf entry (and for a sum that overflows float32), using only
 * Mul/ReduceSum/Less, which the WebGPU EPs have (IsNaN/IsInf are not listed for WebGPU in docs/platform.md);
 * (4) clip: c = maxNorm / (‖g‖ + 1e-6), g ← g · min(c, 1), exactly torch's clip_coef_clamped.
 */
function prepareGrads(b: GraphBuilder, raw: Var[], o: GradPrepOptions): PreparedGrads {
  const n = o.accumulationSteps ?? 1;
  let grads = n === 1 ? raw : raw.map((g) => op.Mul(g, b.scalar(1 / n)));
  const squared = grads.map((g) => op.Mul(g, g));
  const sumSq = squared.map((s) => op.ReduceSum(s, undefined, false)).reduce((acc, s) => op.Add(acc, s));
  const gradNorm = op.Sqrt(sumSq);
  const isFinite = op.Less(sumSq, b.scalar(Number.POSITIVE_INFINITY));
  if (o.maxGradNorm !== undefined) {
    const one = b.scalar(1);
    const coef = op.Div(b.scalar(o.maxGradNorm), op.Add(gradNorm, b.scalar(1e-6)));
    const clamped = op.Where(op.Less(coef, one), coef, one);
    grads = grads.map((g) => op.Mul(g, clamped));
  }
  return { grads, gradNorm, isFinite, squared: o.maxGradNorm === undefined ? squared : undefined };
}

/**
 * Removes the Identity nodes GraphBuilder.output adds for renamed outputs by giving the producing node's value
 * the output name (ORT copied those Identities: m/next and v/next also feed θ's update). Values that are graph
 * inputs, initializers, other outputs or produced twice are left alone.
 */
function inlineOutputIdentities(g: Graph): Graph {
  const outputs = new Set(g.outputs.map((o) => o.name));
  const produced = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const rename = new Map<string, string>();
  const dropped = new Set<string>();
  for (const n of g.nodes) {
    const src = n.inputs[0] as string;
    if (n.opType !== 'Identity' || !outputs.has(n.outputs[0] as string) || !produced.has(src) || outputs.has(src) || rename.has(src)) continue;
    rename.set(src, n.outputs[0] as string);
    dropped.add(n.name);
  }
  const r = (x: string) => rename.get(x) ?? x;
  const nodes = g.nodes.filter((n) => !dropped.has(n.name)).map((n) => ({ ...n, inputs: n.inputs.map(r), outputs: n.outputs.map(r) }));
  return { ...g, nodes, valueInfo: g.valueInfo.filter((v) => !rename.has(v.name)) };
}

function validate(graphName: string, params: ParamSpec[], o: GradPrepOptions): void {
  if (!params.length) throw new GraphError(`${graphName}: no parameters given; pass at least one {name, shape}`);
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new GraphError(`${graphName}: parameter "${p.name}" is listed twice`);
    seen.add(p.name);
  }
  const n = o.accumulationSteps ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new GraphError(`${graphName}: accumulationSteps must be an integer ≥ 1, got ${n}`);
  const c = o.maxGradNorm;
  if (c !== undefined && !(c > 0 && Number.isFinite(c))) throw new GraphError(`${graphName}: maxGradNorm must be a finite number > 0, got ${c}`);
}

/**
 * Builds an update graph with the naming contract of types.ts. Every output is Where(finite, new, old) (unless
 * guardOutputs is false), and
 * `skipped` is 1 (float32 []) when the step was suppressed by the NaN/Inf guard, else 0.
 */
export function buildUpdateGraph(graphName: string, params: ParamSpec[], slots: string[], o: GradPrepOptions, rule: RuleFactory): OptimizerGraph {
  validate(graphName, params, o);
  const b = new GraphBuilder(graphName);
  const declared = params.map((p) => ({
    param: b.input(p.name, 'float32', p.shape),
    grad: b.input(gradName(p.name), 'float32', p.shape),
    state: slots.map((s) => b.input(slotName(s, p.name), 'float32', p.shape)),
  }));
  const lr = b.input('lr', 'float32', []);
  const step = b.input('step', 'float32', []);
  const prepared = b.scope(`${graphName}/grads`, () => prepareGrads(b, declared.map((d) => d.grad), o));
  const apply = b.scope(graphName, () => rule(b, lr, step));
  params.forEach((p, i) => {
    const d = declared[i] as (typeof declared)[number];
    b.scope(`${graphName}/${p.name}`, () => {
      const next = apply({ param: d.param, grad: prepared.grads[i] as Var, state: d.state, gradSquared: prepared.squared?.[i] });
      const guard = (fresh: Var, old: Var) => (o.guardOutputs === false ? fresh : op.Where(prepared.isFinite, fresh, old));
      b.output(guard(next.param, d.param), nextName(p.name));
      slots.forEach((s, k) => b.output(guard(next.state[k] as Var, d.state[k] as Var), nextName(slotName(s, p.name))));
    });
  });
  b.output(prepared.gradNorm, 'gradNorm');
  b.output(op.Where(prepared.isFinite, b.scalar(0), b.scalar(1)), 'skipped');
  return { graph: inlineOutputIdentities(b.graph), params: params.map((p) => ({ name: p.name, shape: [...p.shape] })), slots: [...slots] };
}
