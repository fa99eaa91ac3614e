// ResnetBlock2D (diffusers, time_embedding_norm "default", output_scale_factor 1), used by the UNet and the VAE:
//   h = conv1(SiLU(norm1(x))) [+ time_emb_proj(SiLU(temb))[:, :, None, None]];  h = conv2(SiLU(norm2(h)))
//   out = shortcut(x) + h, shortcut = conv_shortcut (1×1) when in ≠ out channels (He et al. 2016).
// Dropout is identity (inference and DisenDiff's training both use dropout 0). Pure graph construction.
import * as op from '../../build/opset/index';
import type { Var } from '../../build/Var';
import { groupNorm } from '../groupNorm';
import { conv2d, linear, silu } from '../nn';
import type { ParamTable } from '../weights';

export type ResnetSpec = {
  prefix: string;
  inChannels: number;
  outChannels: number;
  groups: number;
  eps: number;
  /** time-embedding width; undefined for the VAE (no time_emb_proj) */
  tembChannels?: number;
};

/** One ResnetBlock2D on x [B, in, H, W]; `tembAct` = SiLU(temb) [B, tembChannels] (shared by all blocks). */
export function resnetBlock(pt: ParamTable, x: Var, spec: ResnetSpec, tembAct?: Var): Var {
  const { prefix: p, inChannels: cin, outChannels: cout, groups, eps } = spec;
  const b = x.builder;
  const n1 = groupNorm(pt, x, `${p}.norm1`, groups, eps);
  let h = b.scope(`${p}.norm1`, () => silu(n1));
  h = conv2d(pt, h, `${p}.conv1`, cin, cout, { kernel: 3 });
  if (spec.tembChannels !== undefined && tembAct) {
    const t = linear(pt, tembAct, `${p}.time_emb_proj`, spec.tembChannels, cout);
    h = b.scope(p, () => op.Add(h, op.Reshape(t, [t.shape[0] as number, cout, 1, 1])));
  }
  const n2 = groupNorm(pt, h, `${p}.norm2`, groups, eps);
  h = b.scope(`${p}.norm2`, () => silu(n2));
  h = conv2d(pt, h, `${p}.conv2`, cout, cout, { kernel: 3 });
  const shortcut = cin !== cout ? conv2d(pt, x, `${p}.conv_shortcut`, cin, cout, { kernel: 1 }) : x;
  return b.scope(p, () => op.Add(shortcut, h));
}
