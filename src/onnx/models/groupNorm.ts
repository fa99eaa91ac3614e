// GroupNorm as the WebGPU-runnable InstanceNormalization pattern (docs/platform.md: no GroupNormalization kernel):
// Reshape [N, G, -1] → InstanceNormalization(ones[G], zeros[G]) → Reshape [N, C, H, W] → Mul γ[C,1,1] → Add β[C,1,1].
// Equation: y = γ_c · (x − μ_g) / √(σ²_g + ε) + β_c, μ_g and σ²_g over the channels of group g and all pixels
// (Wu & He 2018, eq. 1; torch.nn.GroupNorm). Parameters keep diffusers' names `<prefix>.weight` / `.bias`.
import { GraphError } from '../../lib/errors';
import * as op from '../build/opset/index';
import type { Var } from '../build/Var';
import type { ParamTable } from './weights';

/** GroupNorm over x [N, C, H, W] with `groups` groups; params `${prefix}.weight|bias` [C]. */
export function groupNorm(pt: ParamTable, x: Var, prefix: string, groups: number, eps: number): Var {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (x.rank !== 4 || c % groups !== 0) {
    throw new GraphError(`${prefix}: GroupNorm needs [N, C, H, W] with C divisible by groups; got [${x.shape.join(', ')}] and ${groups} groups`);
  }
  const b = x.builder;
  const gamma = pt.param(`${prefix}.weight`, [c]);
  const beta = pt.param(`${prefix}.bias`, [c]);
  return b.scope(prefix, () => {
    const grouped = op.Reshape(x, [n, groups, -1]);
    const ones = b.constant(new Float32Array(groups).fill(1), 'float32', [groups]);
    const zeros = b.constant(new Float32Array(groups), 'float32', [groups]);
    const normed = op.Reshape(op.InstanceNormalization(grouped, ones, zeros, eps), [n, c, h, w]);
    return op.Add(op.Mul(normed, op.Reshape(gamma, [c, 1, 1])), op.Reshape(beta, [c, 1, 1]));
  });
}
