// SGD update step (optional momentum, Nesterov, L2 weight decay) as an ONNX graph.
// Pure graph building. Reference: torch.optim.SGD, torch/optim/sgd.py `_single_tensor_sgd` (torch 1.13).
//   (S1) g ← g + λ·θ            (S2) b ← μ·b + g   (momentum buffer; zero-initialised, which equals torch's
//   first-step `b = g` because dampening is 0)   (S3) d = g + μ·b (Nesterov) or b   (S4) θ ← θ − η·d
// Deviation: dampening is not supported (torch's default 0 only), so zero-initialised buffers are exact.
import { GraphError } from '../../lib/errors';
import * as op from '../build/opset/index';
import type { GradPrepOptions, OptimizerGraph, ParamSpec } from './types';
import { buildUpdateGraph } from './updateGraph';

/** SGD settings; defaults are torch's (no momentum, no decay). */
export type SgdOptions = GradPrepOptions & { momentum?: number; nesterov?: boolean; weightDecay?: number };

/**
 * Builds the SGD update graph. Inputs per parameter p: `p`, `grad/p` and, with momentum > 0, `buf/p`;
 * plus `lr`, `step` (step is unused by SGD but kept so every optimizer has the same scalar inputs).
 * Outputs: `p/next` (and `buf/p/next`), `gradNorm`, `skipped`.
 * @throws GraphError for negative momentum/decay, or Nesterov without momentum (torch's rule).
 */
export function buildSgdGraph(params: ParamSpec[], o: SgdOptions = {}): OptimizerGraph {
  const mu = o.momentum ?? 0;
  const wd = o.weightDecay ?? 0;
  if (!(mu >= 0)) throw new GraphError(`sgd: momentum must be ≥ 0, got ${mu}`);
  if (!(wd >= 0)) throw new GraphError(`sgd: weightDecay must be ≥ 0, got ${wd}`);
  if (o.nesterov && mu === 0) throw new GraphError('sgd: nesterov needs momentum > 0 (torch rule); set momentum or drop nesterov');
  const slots = mu > 0 ? ['buf'] : [];
  return buildUpdateGraph('sgd', params, slots, o, (b, lr) => ({ param, grad, state }) => {
    const g = wd === 0 ? grad : op.Add(grad, op.Mul(param, b.scalar(wd)));
    if (mu === 0) return { param: op.Sub(param, op.Mul(g, lr)), state: [] };
    const buf = op.Add(op.Mul(state[0]!, b.scalar(mu)), g);
    const d = o.nesterov ? op.Add(g, op.Mul(buf, b.scalar(mu))) : buf;
    return { param: op.Sub(param, op.Mul(d, lr)), state: [buf] };
  });
}
