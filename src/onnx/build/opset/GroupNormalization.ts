// GroupNormalization (ONNX opset 21 semantics, what diffusers exports): statistics over each group of C/G
// channels and the spatial axes; scale and bias are per CHANNEL [C]. Opset 18 used per-GROUP [G] scale/bias;
// inference accepts both and passes/groupNormToInstanceNorm handles both. No WebGPU kernel in ORT 1.30.
// Reference: ONNX Operators.md#GroupNormalization (versions 18 and 21).
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'GroupNormalization',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([0, 1, 2], ['float32', 'float16', 'float64']);
    if (x.shape.length < 3) ctx.fail('input must have rank ≥ 3 [N, C, ...]');
    const c = x.shape[1] as number;
    const g = ctx.int('num_groups');
    if (g < 1 || c % g !== 0) ctx.fail(`num_groups ${g} must divide the channel count ${c}`);
    for (const i of [1, 2]) {
      const s = ctx.input(i).shape;
      if (s.length !== 1 || (s[0] !== c && s[0] !== g)) ctx.fail(`input ${i} must be [${c}] (opset 21) or [${g}] (opset 18), got [${s.join(',')}]`);
    }
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
};

/**
 * y = scale[c] · (x − mean_g) / sqrt(var_g + epsilon) + bias[c] for channel c in group g (opset 21).
 * @param x [N, C, ...]; scale, bias [C]
 */
export function GroupNormalization(x: Var, scale: Var, bias: Var, numGroups: number, epsilon = 1e-5, name?: string): Var {
  return x.builder.op1('GroupNormalization', [x, scale, bias], { epsilon: attr.float(epsilon), num_groups: attr.int(numGroups) }, name);
}
