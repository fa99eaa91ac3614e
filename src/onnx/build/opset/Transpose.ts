// Transpose with a permutation (default: reverse the axes), ONNX opset 13.
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Transpose',
  infer(ctx) {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const perm = ctx.ints('perm') ?? [...Array(rank).keys()].reverse();
    const sorted = [...perm].sort((p, q) => p - q);
    if (perm.length !== rank || sorted.some((p, i) => p !== i)) ctx.fail(`perm [${perm.join(',')}] is not a permutation of rank ${rank}`);
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p] as number) }];
  },
};

/** Permute axes: out.shape[i] = x.shape[perm[i]]. */
export function Transpose(x: Var, perm?: readonly number[], name?: string): Var {
  return x.builder.op1('Transpose', [x], perm ? { perm: attr.ints(perm) } : {}, name);
}
