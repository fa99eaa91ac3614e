// Transformer2DModel with one BasicTransformerBlock (diffusers, SD 1.x/2.x): GroupNorm(ε=1e-6) → proj_in →
//   h += attn1(norm1(h));  h += attn2(norm2(h), context);  h += ff(norm3(h))  → proj_out → + residual.
// ff is GEGLU: net.0.proj → split [a, g] → a · GELU(g) → net.2 (Shazeer 2020, eq. 5). proj_in/out are 1×1 convs,
// or Linear when use_linear_projection (SD 2.x). Pure graph construction.
import * as op from '../../build/opset/index';
import type { Var } from '../../build/Var';
import { groupNorm } from '../groupNorm';
import { conv2d, gelu, layerNorm, linear } from '../nn';
import type { ParamTable } from '../weights';
import { attention } from './attention';

/** A cross-attention layer met while building: where it is and its probabilities [B, heads, H·W, M]. */
export type CrossAttentionSite = { layer: string; resolution: [number, number]; heads: number; probs: Var };

export type Transformer2DSpec = {
  prefix: string;
  channels: number;
  heads: number;
  contextDim: number;
  groups: number;
  useLinearProjection: boolean;
};

/** What the UNet builder passes down to every attn2: the SOS detach and a sink for the probabilities. */
export type CrossAttentionHooks = {
  detachSosKv?: (v: Var) => Var;
  onCrossAttention(site: CrossAttentionSite): void;
};

/** Transformer2DModel on x [B, C, H, W] with context [B, M, contextDim]. */
export function transformer2d(pt: ParamTable, x: Var, context: Var, spec: Transformer2DSpec, hooks: CrossAttentionHooks): Var {
  const { prefix: p, channels: c } = spec;
  const b = x.builder;
  const [batch, , hgt, wid] = x.shape as [number, number, number, number];
  const toTokens = (t: Var): Var => b.scope(p, () => op.Transpose(op.Reshape(t, [batch, c, hgt * wid]), [0, 2, 1]));
  const toImage = (t: Var): Var => b.scope(p, () => op.Reshape(op.Transpose(t, [0, 2, 1]), [batch, c, hgt, wid]));
  const normed = groupNorm(pt, x, `${p}.norm`, spec.groups, 1e-6);
  let h = spec.useLinearProjection
    ? linear(pt, toTokens(normed), `${p}.proj_in`, c, c)
    : toTokens(conv2d(pt, normed, `${p}.proj_in`, c, c, { kernel: 1 }));
  h = basicTransformerBlock(pt, h, context, spec, [hgt, wid], hooks);
  const out = spec.useLinearProjection
    ? toImage(linear(pt, h, `${p}.proj_out`, c, c))
    : conv2d(pt, toImage(h), `${p}.proj_out`, c, c, { kernel: 1 });
  return b.scope(p, () => op.Add(out, x));
}

/** BasicTransformerBlock on tokens h [B, N, C]. */
function basicTransformerBlock(pt: ParamTable, h: Var, context: Var, spec: Transformer2DSpec, res: [number, number], hooks: CrossAttentionHooks): Var {
  const p = `${spec.prefix}.transformer_blocks.0`;
  const c = spec.channels;
  const b = h.builder;
  const eps = 1e-5;
  const n1 = layerNorm(pt, h, `${p}.norm1`, c, eps);
  const a1 = attention(pt, n1, n1, { prefix: `${p}.attn1`, heads: spec.heads, queryDim: c, contextDim: c, hasQkvBias: false });
  h = b.scope(p, () => op.Add(h, a1.out));
  const n2 = layerNorm(pt, h, `${p}.norm2`, c, eps);
  const a2 = attention(pt, n2, context, {
    prefix: `${p}.attn2`, heads: spec.heads, queryDim: c, contextDim: spec.contextDim, hasQkvBias: false, detachSosKv: hooks.detachSosKv,
  });
  hooks.onCrossAttention({ layer: `${p}.attn2`, resolution: res, heads: spec.heads, probs: a2.probs });
  h = b.scope(p, () => op.Add(h, a2.out));
  const n3 = layerNorm(pt, h, `${p}.norm3`, c, eps);
  const proj = linear(pt, n3, `${p}.ff.net.0.proj`, c, 8 * c);
  const gated = b.scope(`${p}.ff`, () => {
    const [a, g] = op.Split(proj, [4 * c, 4 * c], -1) as [Var, Var];
    return op.Mul(a, gelu(g));
  });
  const ff = linear(pt, gated, `${p}.ff.net.2`, 4 * c, c);
  return b.scope(p, () => op.Add(h, ff));
}
