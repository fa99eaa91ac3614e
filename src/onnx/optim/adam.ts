// Adam update step as an ONNX graph, with torch's L2-coupled weight decay (g ← g + λ·θ before the moments).
// Pure graph building. Reference: torch.optim.Adam, torch/optim/adam.py `_single_tensor_adam` (torch 1.13).
//   (L1) g ← g + λ·θ   then (A1)–(A5) of adamMoments.ts. For decoupled decay use adamw.ts.
import { GraphError } from '../../lib/errors';
import * as op from '../build/opset/index';
import { adamMoments, adamScalars, checkAdamHyper } from './adamMoments';
import type { GradPrepOptions, OptimizerGraph, ParamSpec } from './types';
import { buildUpdateGraph } from './updateGraph';

/** Adam settings; defaults are torch's (weightDecay 0). */
export type AdamOptions = GradPrepOptions & { beta1?: number; beta2?: number; eps?: number; weightDecay?: number };

/**
 * Builds the Adam update graph; same inputs and outputs as buildAdamWGraph (slots m, v).
 * The decay term is added after clipping, as in torch (clip_grad_norm_ runs before optimizer.step()).
 * @throws GraphError for an empty or duplicated parameter list, or hyper-parameters outside torch's range.
 */
export function buildAdamGraph(params: ParamSpec[], o: AdamOptions = {}): OptimizerGraph {
  const h = { beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.eps ?? 1e-8 };
  const wd = o.weightDecay ?? 0;
  const bad = checkAdamHyper('adam', h, wd);
  if (bad) throw new GraphError(bad);
  return buildUpdateGraph('adam', params, ['m', 'v'], o, (b, lr, step) => {
    const s = adamScalars(b, lr, step, h);
    return ({ param, grad, state, gradSquared }) => {
      const g = wd === 0 ? grad : op.Add(grad, op.Mul(param, b.scalar(wd)));
      const r = adamMoments(b, param, g, state[0]!, state[1]!, h, s, wd === 0 ? gradSquared : undefined);
      return { param: r.param, state: [r.m, r.v] };
    };
  });
}
