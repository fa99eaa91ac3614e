// VAE pieces shared by encoder and decoder (diffusers UNetMidBlock2D and the VAE ResnetBlock2D settings):
// mid_block = resnets.0 → attentions.0 → resnets.1, GroupNorm ε = 1e-6, no time embedding. The attention is
// single-head self-attention over pixels with biases and a residual: x + to_out(Attn(group_norm(x))).
// Pure graph construction.
import * as op from '../../build/opset/index';
import type { Var } from '../../build/Var';
import type { AutoencoderKLConfig } from '../configs';
import { groupNorm } from '../groupNorm';
import { resnetBlock } from '../unet/resnet';
import { attention } from '../unet/attention';
import type { ParamTable } from '../weights';

/** GroupNorm ε of every VAE norm (diffusers Encoder/Decoder pass resnet_eps = 1e-6). */
export const VAE_EPS = 1e-6;

/** VAE ResnetBlock2D (no temb). */
export function vaeResnet(pt: ParamTable, x: Var, prefix: string, cin: number, cout: number, cfg: AutoencoderKLConfig): Var {
  return resnetBlock(pt, x, { prefix, inChannels: cin, outChannels: cout, groups: cfg.norm_num_groups, eps: VAE_EPS });
}

/** `${prefix}` = encoder.mid_block | decoder.mid_block on x [B, C, h, w]. */
export function vaeMidBlock(pt: ParamTable, x: Var, prefix: string, cfg: AutoencoderKLConfig): Var {
  const c = cfg.block_out_channels[cfg.block_out_channels.length - 1] as number;
  let h = vaeResnet(pt, x, `${prefix}.resnets.0`, c, c, cfg);
  h = vaeAttention(pt, h, `${prefix}.attentions.0`, c, cfg);
  return vaeResnet(pt, h, `${prefix}.resnets.1`, c, c, cfg);
}

function vaeAttention(pt: ParamTable, x: Var, prefix: string, c: number, cfg: AutoencoderKLConfig): Var {
  const b = x.builder;
  const [batch, , hgt, wid] = x.shape as [number, number, number, number];
  const normed = groupNorm(pt, x, `${prefix}.group_norm`, cfg.norm_num_groups, VAE_EPS);
  const tokens = b.scope(prefix, () => op.Transpose(op.Reshape(normed, [batch, c, hgt * wid]), [0, 2, 1]));
  const { out } = attention(pt, tokens, tokens, { prefix, heads: 1, queryDim: c, contextDim: c, hasQkvBias: true });
  return b.scope(prefix, () => op.Add(op.Reshape(op.Transpose(out, [0, 2, 1]), [batch, c, hgt, wid]), x));
}
