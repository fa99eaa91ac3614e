// UNet2DConditionModel's blocks (diffusers unet_2d_blocks): CrossAttnDownBlock2D / DownBlock2D,
// UNetMidBlock2DCrossAttn, UpBlock2D / CrossAttnUpBlock2D, with their skip-connection bookkeeping:
// every down resnet(+attention) output and every downsampler output is pushed; each up resnet pops one and
// concatenates it on channels. Channel arithmetic follows UNet2DConditionModel.__init__. Pure graph construction.
import * as op from '../../build/opset/index';
import type { Var } from '../../build/Var';
import type { UNet2DConditionConfig } from '../configs';
import { conv2d, upsampleNearest2x } from '../nn';
import type { ParamTable } from '../weights';
import { resnetBlock } from './resnet';
import { transformer2d } from './transformer';
import type { CrossAttentionHooks } from './transformer';

/** Everything a block needs besides its input. */
export type UnetContext = {
  pt: ParamTable;
  cfg: UNet2DConditionConfig;
  /** SiLU(temb) [B, 4·C₀] */
  tembAct: Var;
  /** encoder_hidden_states [B, M, cross_attention_dim] */
  context: Var;
  hooks: CrossAttentionHooks;
};

/** Heads per down block index (diffusers: num_attention_heads ?? attention_head_dim, per block when a list). */
export function headsPerBlock(cfg: UNet2DConditionConfig): number[] {
  const h = cfg.num_attention_heads ?? cfg.attention_head_dim;
  return typeof h === 'number' ? cfg.block_out_channels.map(() => h) : [...h];
}

function resnet(ctx: UnetContext, x: Var, prefix: string, cin: number, cout: number): Var {
  const { cfg } = ctx;
  return resnetBlock(ctx.pt, x, { prefix, inChannels: cin, outChannels: cout, groups: cfg.norm_num_groups, eps: cfg.norm_eps, tembChannels: 4 * (cfg.block_out_channels[0] as number) }, ctx.tembAct);
}

function transformer(ctx: UnetContext, x: Var, prefix: string, channels: number, heads: number): Var {
  const { cfg } = ctx;
  return transformer2d(ctx.pt, x, ctx.context, {
    prefix, channels, heads, contextDim: cfg.cross_attention_dim, groups: cfg.norm_num_groups, useLinearProjection: cfg.use_linear_projection ?? false,
  }, ctx.hooks);
}

/** down_blocks.i on x; pushes its skip outputs onto `skips`. */
export function downBlock(ctx: UnetContext, x: Var, i: number, skips: Var[]): Var {
  const { cfg } = ctx;
  const boc = cfg.block_out_channels;
  const cout = boc[i] as number;
  const isCross = cfg.down_block_types[i] === 'CrossAttnDownBlock2D';
  let h = x;
  for (let j = 0; j < cfg.layers_per_block; j++) {
    const cin = j === 0 ? (boc[Math.max(i - 1, 0)] as number) : cout;
    h = resnet(ctx, h, `down_blocks.${i}.resnets.${j}`, cin, cout);
    if (isCross) h = transformer(ctx, h, `down_blocks.${i}.attentions.${j}`, cout, headsPerBlock(cfg)[i] as number);
    skips.push(h);
  }
  if (i < boc.length - 1) {
    const p = cfg.downsample_padding;
    h = conv2d(ctx.pt, h, `down_blocks.${i}.downsamplers.0.conv`, cout, cout, { kernel: 3, stride: 2, pads: [p, p, p, p] });
    skips.push(h);
  }
  return h;
}

/** mid_block: resnets.0 → attentions.0 → resnets.1 at the lowest resolution. */
export function midBlock(ctx: UnetContext, x: Var): Var {
  const c = ctx.cfg.block_out_channels[ctx.cfg.block_out_channels.length - 1] as number;
  const heads = headsPerBlock(ctx.cfg);
  let h = resnet(ctx, x, 'mid_block.resnets.0', c, c);
  h = transformer(ctx, h, 'mid_block.attentions.0', c, heads[heads.length - 1] as number);
  return resnet(ctx, h, 'mid_block.resnets.1', c, c);
}

/** up_blocks.i on x; pops layers_per_block + 1 skips. */
export function upBlock(ctx: UnetContext, x: Var, i: number, skips: Var[]): Var {
  const { cfg } = ctx;
  const rev = [...cfg.block_out_channels].reverse();
  const n = rev.length;
  const cout = rev[i] as number;
  const prevC = rev[Math.max(i - 1, 0)] as number;
  const inC = rev[Math.min(i + 1, n - 1)] as number;
  const isCross = cfg.up_block_types[i] === 'CrossAttnUpBlock2D';
  const heads = [...headsPerBlock(cfg)].reverse()[i] as number;
  let h = x;
  for (let j = 0; j <= cfg.layers_per_block; j++) {
    const skip = skips.pop() as Var;
    const resIn = j === 0 ? prevC : cout;
    const skipC = j === cfg.layers_per_block ? inC : cout;
    h = h.builder.scope(`up_blocks.${i}.resnets.${j}`, () => op.Concat([h, skip], 1, 'skip_concat'));
    h = resnet(ctx, h, `up_blocks.${i}.resnets.${j}`, resIn + skipC, cout);
    if (isCross) h = transformer(ctx, h, `up_blocks.${i}.attentions.${j}`, cout, heads);
  }
  if (i < n - 1) {
    h = h.builder.scope(`up_blocks.${i}.upsamplers.0`, () => upsampleNearest2x(h));
    h = conv2d(ctx.pt, h, `up_blocks.${i}.upsamplers.0.conv`, cout, cout, { kernel: 3 });
  }
  return h;
}
