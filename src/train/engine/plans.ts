// Builds the graphs a TrainingSession runs. Pure graph building (no onnxruntime).
// Choice (documented in CONTEXT.md): with one micro-batch per step, forward + backward + update are composed
// into ONE graph (one session, one run per step: gradients never leave the session, ORT can plan memory across
// the whole step). With N > 1 micro-batches, two sessions: "grads" (forward + backward + acc ← acc + g, run N
// times) and "update" (the optimizer on the accumulated sum, divided by N, run once).
// Reference: src/onnx/optim (update graphs, composeGraphs), src/onnx/optim/types.ts naming contract.
import { ACC_SLOT, buildAccumulateGraph, composeGraphs, gradName, nextName, slotName } from '../../onnx/index';
import type { Graph, ParamSpec } from '../../onnx/index';
import { buildOptimizerGraph } from './optimizer';
import type { BackwardGraph, OptimizerSettings } from './types';

/** One graph to load as a session, and which of its inputs are device state: input name → output name. */
export type Phase = { name: string; graph: Graph; state: Record<string, string> };

/** The phases of one training configuration; `slots` are the optimizer's state prefixes ('m', 'v', 'buf'). */
export type Plan =
  | { kind: 'fused'; step: Phase; slots: string[] }
  | { kind: 'accumulate'; grads: Phase; update: Phase; slots: string[] };

function stateOf(params: ParamSpec[], slots: string[]): Record<string, string> {
  const state: Record<string, string> = {};
  for (const p of params) {
    state[p.name] = nextName(p.name);
    for (const s of slots) state[slotName(s, p.name)] = nextName(slotName(s, p.name));
  }
  return state;
}

/** Optimizer input `grad/p` → the backward graph's gradient output for p. */
function gradWires(backward: BackwardGraph, params: ParamSpec[]): Record<string, string> {
  return Object.fromEntries(params.map((p) => [gradName(p.name), backward.grads[p.name] as string]));
}

/**
 * Builds the fused plan (accumulationSteps = 1) or the two-phase accumulation plan. `extraOutputs` are outputs of
 * the backward graph besides the loss that stay outputs of the step (or grads) phase, e.g. per-term losses.
 */
export function buildPlan(name: string, backward: BackwardGraph, params: ParamSpec[], settings: OptimizerSettings, accumulationSteps: number, extraOutputs: readonly string[] = []): Plan {
  const optim = buildOptimizerGraph(settings, params, accumulationSteps);
  const wire = gradWires(backward, params);
  const keepFirstOutputs = [backward.loss, ...extraOutputs];
  if (accumulationSteps === 1) {
    const graph = composeGraphs(backward.graph, optim.graph, { name: `${name}/step`, prefix: 'update', keepFirstOutputs, wire });
    return { kind: 'fused', step: { name: `${name}/step`, graph, state: stateOf(params, optim.slots) }, slots: optim.slots };
  }
  const acc = buildAccumulateGraph(params);
  const gradsGraph = composeGraphs(backward.graph, acc, { name: `${name}/grads`, prefix: 'accumulate', keepFirstOutputs, wire });
  const accState = Object.fromEntries(params.map((p) => [slotName(ACC_SLOT, p.name), nextName(slotName(ACC_SLOT, p.name))]));
  return {
    kind: 'accumulate',
    grads: { name: `${name}/grads`, graph: gradsGraph, state: accState },
    update: { name: `${name}/update`, graph: optim.graph, state: stateOf(params, optim.slots) },
    slots: optim.slots,
  };
}
