// buildVaeEncoder: AutoencoderKL's Encoder + quant_conv (diffusers) as an ONNX graph.
// sample [B, 3, H, W] in [−1, 1] → latent_parameters [B, 2·latent_channels, H/2^(n−1), W/2^(n−1)] = the
// DiagonalGaussian moments [mean, logvar] on channels; callers take mean (or sample) and multiply by scaling_factor.
// Downsamplers pad (0, 1, 0, 1) then conv 3×3 stride 2 (diffusers Downsample2D, padding = 0). Pure graph construction.
import { GraphError } from '../../../lib/errors';
import { GraphBuilder } from '../../build/GraphBuilder';
import type { Var } from '../../build/Var';
import type { Model } from '../../ir/types';
import type { AutoencoderKLConfig } from '../configs';
import { groupNorm } from '../groupNorm';
import { conv2d, silu } from '../nn';
import { ParamTable } from '../weights';
import type { ModelBuildOptions, ParamEntry } from '../weights';
import { VAE_EPS, vaeMidBlock, vaeResnet } from './midBlock';

export type VaeBuildOptions = ModelBuildOptions & { batch: number; /** image (encoder) or latent (decoder) height */ height: number; width: number; graphName?: string };

export type VaeBuild = { builder: GraphBuilder; model: Model; params: ParamEntry[]; paramCount: number; randomInitialized: string[] };

/** Spatial factor between image and latent: 2^(blocks − 1) (8 for SD). */
export function vaeScaleFactor(cfg: AutoencoderKLConfig): number {
  return 2 ** (cfg.block_out_channels.length - 1);
}

/**
 * Builds encoder + quant_conv. Throws GraphError when H or W is not divisible by the scale factor.
 * @example const { model } = buildVaeEncoder(SD15_VAE, { batch: 1, height: 512, width: 512 });
 */
export function buildVaeEncoder(cfg: AutoencoderKLConfig, o: VaeBuildOptions): VaeBuild {
  const f = vaeScaleFactor(cfg);
  if (o.height % f !== 0 || o.width % f !== 0) throw new GraphError(`buildVaeEncoder: image ${o.height}×${o.width} must be divisible by ${f}`);
  const b = new GraphBuilder(o.graphName ?? 'vae_encoder');
  const pt = new ParamTable(b, o.weights, o.seed);
  const boc = cfg.block_out_channels;
  const x = b.input('sample', 'float32', [o.batch, cfg.in_channels, o.height, o.width]);
  let h = conv2d(pt, x, 'encoder.conv_in', cfg.in_channels, boc[0] as number, { kernel: 3 });
  boc.forEach((cout, i) => (h = downEncoderBlock(pt, h, i, cfg, cout)));
  h = vaeMidBlock(pt, h, 'encoder.mid_block', cfg);
  const last = boc[boc.length - 1] as number;
  const normed = groupNorm(pt, h, 'encoder.conv_norm_out', cfg.norm_num_groups, VAE_EPS);
  h = b.scope('encoder.conv_norm_out', () => silu(normed));
  const moments = 2 * cfg.latent_channels;
  h = conv2d(pt, h, 'encoder.conv_out', last, moments, { kernel: 3 });
  b.output(conv2d(pt, h, 'quant_conv', moments, moments, { kernel: 1 }), 'latent_parameters');
  return { builder: b, model: b.toModel(), params: pt.entries, paramCount: pt.count(), randomInitialized: pt.randomInitialized };
}

function downEncoderBlock(pt: ParamTable, x: Var, i: number, cfg: AutoencoderKLConfig, cout: number): Var {
  const boc = cfg.block_out_channels;
  let h = x;
  for (let j = 0; j < cfg.layers_per_block; j++) {
    const cin = j === 0 ? (boc[Math.max(i - 1, 0)] as number) : cout;
    h = vaeResnet(pt, h, `encoder.down_blocks.${i}.resnets.${j}`, cin, cout, cfg);
  }
  if (i < boc.length - 1) h = conv2d(pt, h, `encoder.down_blocks.${i}.downsamplers.0.conv`, cout, cout, { kernel: 3, stride: 2, pads: [0, 0, 1, 1] });
  return h;
}
