// buildVaeDecoder: AutoencoderKL's post_quant_conv + Decoder (diffusers) as an ONNX graph.
// latent_sample [B, latent_channels, h, w] (already divided by scaling_factor, as diffusers' decode expects)
// → sample [B, out_channels, h·2^(n−1), w·2^(n−1)] in about [−1, 1]. Upsamplers: nearest 2× then conv 3×3.
// Pure graph construction.
import { GraphBuilder } from '../../build/GraphBuilder';
import type { Var } from '../../build/Var';
import type { AutoencoderKLConfig } from '../configs';
import { groupNorm } from '../groupNorm';
import { conv2d, silu, upsampleNearest2x } from '../nn';
import { ParamTable } from '../weights';
import type { VaeBuild, VaeBuildOptions } from './encoder';
import { VAE_EPS, vaeMidBlock, vaeResnet } from './midBlock';

/**
 * Builds post_quant_conv + decoder. `height`/`width` are LATENT sizes.
 * @example const { model } = buildVaeDecoder(SD15_VAE, { batch: 1, height: 64, width: 64 });
 */
export function buildVaeDecoder(cfg: AutoencoderKLConfig, o: VaeBuildOptions): VaeBuild {
  const b = new GraphBuilder(o.graphName ?? 'vae_decoder');
  const pt = new ParamTable(b, o.weights, o.seed);
  const rev = [...cfg.block_out_channels].reverse();
  const lc = cfg.latent_channels;
  const z = b.input('latent_sample', 'float32', [o.batch, lc, o.height, o.width]);
  let h = conv2d(pt, z, 'post_quant_conv', lc, lc, { kernel: 1 });
  h = conv2d(pt, h, 'decoder.conv_in', lc, rev[0] as number, { kernel: 3 });
  h = vaeMidBlock(pt, h, 'decoder.mid_block', cfg);
  rev.forEach((cout, i) => (h = upDecoderBlock(pt, h, i, cfg, rev[Math.max(i - 1, 0)] as number, cout)));
  const first = cfg.block_out_channels[0] as number;
  const normed = groupNorm(pt, h, 'decoder.conv_norm_out', cfg.norm_num_groups, VAE_EPS);
  h = b.scope('decoder.conv_norm_out', () => silu(normed));
  b.output(conv2d(pt, h, 'decoder.conv_out', first, cfg.out_channels, { kernel: 3 }), 'sample');
  return { builder: b, model: b.toModel(), params: pt.entries, paramCount: pt.count(), randomInitialized: pt.randomInitialized };
}

function upDecoderBlock(pt: ParamTable, x: Var, i: number, cfg: AutoencoderKLConfig, prevC: number, cout: number): Var {
  let h = x;
  for (let j = 0; j <= cfg.layers_per_block; j++) {
    h = vaeResnet(pt, h, `decoder.up_blocks.${i}.resnets.${j}`, j === 0 ? prevC : cout, cout, cfg);
  }
  if (i < cfg.block_out_channels.length - 1) {
    h = h.builder.scope(`decoder.up_blocks.${i}.upsamplers.0`, () => upsampleNearest2x(h));
    h = conv2d(pt, h, `decoder.up_blocks.${i}.upsamplers.0.conv`, cout, cout, { kernel: 3 });
  }
  return h;
}
