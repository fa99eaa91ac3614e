// AdamW update step as an ONNX graph, so parameters and moments stay on the device between steps.
// Pure graph building; never runs anything. Reference: torch.optim.AdamW (Loshchilov & Hutter 2019, Alg. 2),
// torch/optim/adamw.py `_single_tensor_adamw`. DisenDiff trains with AdamW, weight decay 0.01 (docs/disendiff.md §2.8).
//   (W1) θ ← θ·(1 − η·λ)   decoupled weight decay, applied BEFORE the moment step, as torch does;
//   then (A1)–(A5) of adamMoments.ts with the decayed θ.
import { GraphError } from '../../lib/errors';
import * as op from '../build/opset/index';
import { adamMoments, adamScalars, checkAdamHyper } from './adamMoments';
import type { GradPrepOptions, OptimizerGraph, ParamSpec } from './types';
import { buildUpdateGraph } from './updateGraph';

/** AdamW settings; defaults are torch's (weightDecay 0.01). */
export type AdamWOptions = GradPrepOptions & { beta1?: number; beta2?: number; eps?: number; weightDecay?: number };

/**
 * Builds the AdamW update graph. Inputs per parameter p: `p`, `grad/p`, `m/p`, `v/p` (float32, p's shape),
 * plus `lr` and `step` (float32 [], step 1-based). Outputs: `p/next`, `m/p/next`, `v/p/next`, `gradNorm`
 * (global norm before clipping), `skipped` (1 when a gradient was NaN/Inf; then every output equals its input).
 * @throws GraphError for an empty or duplicated parameter list, or hyper-parameters outside torch's range.
 * @example buildAdamWGraph([{ name: 'w', shape: [3, 4] }], { weightDecay: 0.01, maxGradNorm: 1 })
 */
export function buildAdamWGraph(params: ParamSpec[], o: AdamWOptions = {}): OptimizerGraph {
  const h = { beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.eps ?? 1e-8 };
  const wd = o.weightDecay ?? 0.01;
  const bad = checkAdamHyper('adamw', h, wd);
  if (bad) throw new GraphError(bad);
  return buildUpdateGraph('adamw', params, ['m', 'v'], o, (b, lr, step) => {
    const s = adamScalars(b, lr, step, h);
    const decay = op.Sub(b.scalar(1), op.Mul(lr, b.scalar(wd)));
    return ({ param, grad, state, gradSquared }) => {
      const decayed = wd === 0 ? param : op.Mul(param, decay);
      const r = adamMoments(b, decayed, grad, state[0]!, state[1]!, h, s, gradSquared);
      return { param: r.param, state: [r.m, r.v] };
    };
  });
}
