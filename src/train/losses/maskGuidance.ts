// Mask guidance (beyond DisenDiff; docs/disendiff.md §10), after Break-A-Scene's cross-attention loss
// (docs/disendiff.md §5): per concept i in the prompt, MSE(Ā^{m_i} / max Ā^{m_i}, M_i^{h×w}), summed over concepts,
// divided by the batch size:  L_attn = (1/B) Σ_b Σ_i p_bi · mean_px (Ā_bi/max Ā_bi − mask_bi)².
// Ā is the RAW head/layer mean (no min subtraction, no blur), as `aggregate_attention`. Deviation: max + 1e-8.
import { GraphError } from '../../lib/errors';
import { op } from '../../onnx/index';
import type { Var } from '../../onnx/index';

/** CPU reference. raw, masks: [B][n][N]; present [B][n] (0/1). */
export function maskAttentionLoss(raw: number[][][], masks: number[][][], present: number[][]): number {
  let total = 0;
  raw.forEach((maps, b) => {
    maps.forEach((m, i) => {
      const p = (present[b] as number[])[i] as number;
      if (p === 0) return;
      const mx = Math.max(...m) + 1e-8;
      const target = (masks[b] as number[][])[i] as number[];
      const mse = m.reduce((acc, v, k) => acc + (v / mx - (target[k] as number)) ** 2, 0) / m.length;
      total += p * mse;
    });
  });
  return total / raw.length;
}

/**
 * L_attn in the graph.
 * @param raw Ā of the modifier tokens [B, n, N] (meanSelectedMaps, before min–max)
 * @param masks concept masks resized to the attention resolution [B, n, N] (nearest, 0/1)
 * @param present float32 [B, n]
 */
export function maskAttentionGraph(raw: Var, masks: Var, present: Var): Var {
  if (raw.shape.join() !== masks.shape.join()) throw new GraphError(`maskAttentionGraph: maps [${raw.shape}] and masks [${masks.shape}] must both be [B, n, N]`);
  const b = raw.builder;
  const scaled = op.Div(raw, op.Add(op.ReduceMax(raw, [2], true), b.scalar(1e-8)));
  const d = op.Sub(scaled, masks);
  const mse = op.ReduceMean(op.Mul(d, d), [2], false);
  return op.Div(op.ReduceSum(op.Mul(present, mse), undefined, false), b.scalar(raw.shape[0] as number));
}
