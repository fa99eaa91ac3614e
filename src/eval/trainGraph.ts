// The evaluator's training graph: forward (architecture.ts) + loss, differentiated by the project's autodiff.
// Graph building only (pure). Notation: z logits [B, 19], y one-hot targets [B, 19], B batch, h ∈ heads.
//   (1) per head, softmax CE: ℓ_h = Σ_k y_k·(lse(z_h) − z_k), lse(z) = m + log Σ_k e^{z_k − m}, m = max_k z_k
//   loss = Σ_h Σ_b ℓ_h / B   (the three heads summed, batch mean); a head whose target row is all zero adds
//   nothing (colour targets of colour-permuted crops, data.ts)
import { buildGradientGraph, GraphBuilder, op } from '../onnx/index';
import type { BackwardResult, Var } from '../onnx/index';
import { addParams, CROP_CHANNELS, CROP_SIZE, forward, HEAD_NAMES, HEADS, paramShapes, TOTAL_LOGITS } from './architecture';

function softmaxCe(z: Var, y: Var): Var {
  const m = op.ReduceMax(z, [1], true);
  const lse = op.Add(m, op.Log(op.ReduceSum(op.Exp(op.Sub(z, m)), [1], true)));
  return op.ReduceSum(op.Mul(y, op.Sub(lse, z)), undefined, false);
}

/**
 * Forward + loss + gradients for a batch of `batch` crops. Inputs `x` [B, 4, 32, 32], `y` [B, 19]; output
 * `loss` (scalar) and `grad/<param>` for every parameter in paramShapes(); parameters are initializers
 * holding `init`, so TrainingSession can lift them to inputs.
 */
export function buildTrainGraph(batch: number, init: Record<string, Float32Array>): BackwardResult {
  const b = new GraphBuilder('evaluator_train');
  const x = b.input('x', 'float32', [batch, CROP_CHANNELS, CROP_SIZE, CROP_SIZE]);
  const y = b.input('y', 'float32', [batch, TOTAL_LOGITS]);
  const { logits } = forward(x, addParams(b, init));
  const cut = (v: Var, h: (typeof HEADS)[keyof typeof HEADS]) => op.Slice(v, [h.offset], [h.offset + h.size], [1]);
  const terms = HEAD_NAMES.map((h) => softmaxCe(cut(logits, HEADS[h]), cut(y, HEADS[h])));
  const total = terms.slice(1).reduce((acc, t) => op.Add(acc, t), terms[0] as Var);
  b.output(op.Mul(total, b.scalar(1 / batch)), 'loss');
  return buildGradientGraph(b.graph, { loss: 'loss', wrt: paramShapes().map((p) => p.name) });
}
