// Flatten: [d0..dn] → [d0·…·d(axis-1), d(axis)·…·dn] (ONNX opset 13, axis in [-r, r]). Folds constants.
import { numElements } from '../../ir/dtype';
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Flatten',
  infer(ctx) {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const raw = ctx.int('axis', 1);
    const axis = raw < 0 ? raw + rank : raw;
    if (axis < 0 || axis > rank) ctx.fail(`axis ${raw} is out of range [-${rank}, ${rank}]`);
    return [{ dtype: x.dtype, shape: [numElements(x.shape.slice(0, axis)), numElements(x.shape.slice(axis))] }];
  },
  fold: (_ctx, values) => [values[0] as NonNullable<(typeof values)[0]>],
};

/** Flattens to 2-D around `axis` (default 1: keep the batch axis). */
export function Flatten(x: Var, axis = 1, name?: string): Var {
  return x.builder.op1('Flatten', [x], { axis: attr.int(axis) }, name);
}
