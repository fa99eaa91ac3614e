// Multi-head scaled dot-product attention with diffusers' parameter names (to_q, to_k, to_v, to_out.0), used by
// the UNet's attn1/attn2 and the VAE mid-block attention. Equation: A = softmax(Q·Kᵀ / √d) [B, H, N, M],
// out = (A·V) merged over heads, then to_out.0 (Vaswani et al. 2017, eq. 1). Pure graph construction.
// Deviation switch: `detachSosKv` cuts the gradient of K and V at token 0 (Custom Diffusion / DisenDiff, docs/disendiff.md §2.1).
import * as op from '../../build/opset/index';
import type { Var } from '../../build/Var';
import { linear } from '../nn';
import type { ParamTable } from '../weights';

export type AttentionSpec = {
  /** parameter prefix, e.g. `down_blocks.0.attentions.0.transformer_blocks.0.attn2` */
  prefix: string;
  heads: number;
  /** channels of x (= inner dim, as in SD) */
  queryDim: number;
  /** channels of the context (cross_attention_dim for attn2; queryDim for self-attention) */
  contextDim: number;
  /** to_q/to_k/to_v carry biases (VAE: yes; UNet: no) */
  hasQkvBias: boolean;
  /** When set, K and V rows of context token 0 go through this (a stop-gradient); forward values unchanged. */
  detachSosKv?: (v: Var) => Var;
};

export type AttentionResult = { out: Var; /** post-softmax probabilities [B, heads, N, M] */ probs: Var };

/** Attention of x [B, N, queryDim] over context [B, M, contextDim] (context = x for self-attention). */
export function attention(pt: ParamTable, x: Var, context: Var, spec: AttentionSpec): AttentionResult {
  const { prefix, heads, queryDim: c, contextDim } = spec;
  const b = x.builder;
  const q = linear(pt, x, `${prefix}.to_q`, c, c, spec.hasQkvBias);
  let k = linear(pt, context, `${prefix}.to_k`, contextDim, c, spec.hasQkvBias);
  let v = linear(pt, context, `${prefix}.to_v`, contextDim, c, spec.hasQkvBias);
  const detach = spec.detachSosKv;
  if (detach) {
    k = b.scope(`${prefix}.to_k`, () => detachFirstToken(k, detach));
    v = b.scope(`${prefix}.to_v`, () => detachFirstToken(v, detach));
  }
  const merged = b.scope(prefix, () => {
    const [batch, n] = x.shape as [number, number, number];
    const m = context.shape[1] as number;
    const d = c / heads;
    const qh = op.Transpose(op.Reshape(q, [batch, n, heads, d]), [0, 2, 1, 3]);
    const kh = op.Transpose(op.Reshape(k, [batch, m, heads, d]), [0, 2, 3, 1]);
    const vh = op.Transpose(op.Reshape(v, [batch, m, heads, d]), [0, 2, 1, 3]);
    const scores = op.Mul(op.MatMul(qh, kh), b.scalar(1 / Math.sqrt(d)));
    const probs = op.Softmax(scores, -1, 'Softmax');
    const o = op.Reshape(op.Transpose(op.MatMul(probs, vh), [0, 2, 1, 3]), [batch, n, c]);
    return { o, probs };
  });
  const out = linear(pt, merged.o, `${prefix}.to_out.0`, c, c, true);
  return { out, probs: merged.probs };
}

/** [B, M, C] → the same values with row 0 passed through `detach` (Concat of Slice pieces along axis 1). */
function detachFirstToken(t: Var, detach: (v: Var) => Var): Var {
  const m = t.shape[1] as number;
  const sos = detach(op.Slice(t, [0], [1], [1]));
  const rest = op.Slice(t, [1], [m], [1]);
  return op.Concat([sos, rest], 1);
}
