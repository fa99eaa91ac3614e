// The evaluator's training graph: forward (architecture.ts) + loss, differentiated by the project's autodiff.
// Graph building only (pure). Notation: z logits [B, 22], y targets [B, 22], B batch.
//   (1) presence, stable sigmoid BCE per label: ℓ = max(z, 0) − y·z + log(1 + e^{−|z|})
//   (2) count, softmax CE: ℓ = Σ_k y_k·(lse(z) − z_k), lse(z) = m + log Σ_k e^{z_k − m}, m = max_k z_k
//   loss = (Σ over the 19 presence labels of (1) + (2)) / B   (per-image sums, batch mean)
import { buildGradientGraph, GraphBuilder, op } from '../onnx/index';
import type { BackwardResult, Var } from '../onnx/index';
import { addParams, EVAL_SIZE, forward, paramShapes, PRESENCE_LOGITS, TOTAL_LOGITS } from './architecture';

function presenceBce(b: GraphBuilder, z: Var, y: Var): Var {
  const softplusNeg = op.Log(op.Add(op.Exp(op.Neg(op.Abs(z))), b.scalar(1)));
  return op.ReduceSum(op.Add(op.Sub(op.Relu(z), op.Mul(y, z)), softplusNeg), undefined, false);
}

function countCe(z: Var, y: Var): Var {
  const m = op.ReduceMax(z, [1], true);
  const lse = op.Add(m, op.Log(op.ReduceSum(op.Exp(op.Sub(z, m)), [1], true)));
  return op.ReduceSum(op.Mul(y, op.Sub(lse, z)), undefined, false);
}

/**
 * Forward + loss + gradients for a batch of `batch` images. Inputs `x` [B, 3, 64, 64], `y` [B, 22]; output
 * `loss` (scalar) and `grad/<param>` for every parameter in paramShapes(); parameters are initializers
 * holding `init`, so TrainingSession can lift them to inputs.
 */
export function buildTrainGraph(batch: number, init: Record<string, Float32Array>): BackwardResult {
  const b = new GraphBuilder('evaluator_train');
  const x = b.input('x', 'float32', [batch, 3, EVAL_SIZE, EVAL_SIZE]);
  const y = b.input('y', 'float32', [batch, TOTAL_LOGITS]);
  const { logits } = forward(x, addParams(b, init));
  const cut = (v: Var, from: number, to: number) => op.Slice(v, [from], [to], [1]);
  const bce = presenceBce(b, cut(logits, 0, PRESENCE_LOGITS), cut(y, 0, PRESENCE_LOGITS));
  const ce = countCe(cut(logits, PRESENCE_LOGITS, TOTAL_LOGITS), cut(y, PRESENCE_LOGITS, TOTAL_LOGITS));
  b.output(op.Mul(op.Add(bce, ce), b.scalar(1 / batch)), 'loss');
  return buildGradientGraph(b.graph, { loss: 'loss', wrt: paramShapes().map((p) => p.name) });
}
