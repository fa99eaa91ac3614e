// Timestep embedding of the UNet: sinusoidal projection (diffusers get_timestep_embedding, DDPM / Transformer
// positional encoding), then TimestepEmbedding = linear_1 → SiLU → linear_2.
//   ω_i = exp(−ln(10000) · i / (half − freq_shift)), i < half = C₀/2;  e = [sin(t·ω), cos(t·ω)], flipped to [cos, sin]
//   when flip_sin_to_cos. `timestep` is float32 [B] (the value 0–999 the model sees). Pure graph construction.
import * as op from '../../build/opset/index';
import type { Var } from '../../build/Var';
import type { UNet2DConditionConfig } from '../configs';
import { linear, silu } from '../nn';
import type { ParamTable } from '../weights';

/** Sinusoidal frequencies ω_i (host side, also used by the reference). */
export function timestepFrequencies(channels: number, freqShift: number): Float32Array {
  const half = channels / 2;
  return Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / (half - freqShift)));
}

/** temb [B, 4·C₀] from timestep [B] (float32). */
export function timestepEmbedding(pt: ParamTable, timestep: Var, cfg: UNet2DConditionConfig): Var {
  const c0 = cfg.block_out_channels[0] as number;
  const b = timestep.builder;
  const batch = timestep.shape[0] as number;
  const proj = b.scope('time_proj', () => {
    const freqs = b.constant(timestepFrequencies(c0, cfg.freq_shift), 'float32', [1, c0 / 2]);
    const args = op.Mul(op.Reshape(timestep, [batch, 1]), freqs);
    const sin = op.Sin(args);
    const cos = op.Cos(args);
    return op.Concat(cfg.flip_sin_to_cos ? [cos, sin] : [sin, cos], 1);
  });
  const h = linear(pt, proj, 'time_embedding.linear_1', c0, 4 * c0);
  const act = b.scope('time_embedding', () => silu(h));
  return linear(pt, act, 'time_embedding.linear_2', 4 * c0, 4 * c0);
}
