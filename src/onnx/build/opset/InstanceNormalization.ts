// InstanceNormalization: per (n, c) normalisation over spatial axes, then scale/bias per channel (opset 6).
// The WebGPU EP runs it; GroupNorm is expressed through it (passes/groupNormToInstanceNorm).
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'InstanceNormalization',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([0, 1, 2], ['float32', 'float16', 'float64']);
    if (x.shape.length < 3) ctx.fail('input must have rank ≥ 3 [N, C, ...]');
    const c = x.shape[1] as number;
    for (const i of [1, 2]) if (ctx.input(i).shape.length !== 1 || ctx.input(i).shape[0] !== c) ctx.fail(`input ${i} must be [${c}]`);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
};

/** y = scale · (x − mean) / sqrt(var + epsilon) + bias, statistics over axes 2.. per (n, c). */
export function InstanceNormalization(x: Var, scale: Var, bias: Var, epsilon = 1e-5, name?: string): Var {
  return x.builder.op1('InstanceNormalization', [x, scale, bias], { epsilon: attr.float(epsilon) }, name);
}
