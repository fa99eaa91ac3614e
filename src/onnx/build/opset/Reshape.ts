// Reshape to a constant target shape (0 copies the input dim, -1 is inferred), opset 14, allowzero=0.
import { numElements } from '../../ir/dtype';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Reshape',
  infer(ctx) {
    const x = ctx.input(0);
    const target = ctx.constInts(1, 'shape');
    const out = target.map((d, i) => (d === 0 ? (x.shape[i] ?? ctx.fail(`0 at axis ${i} has no input dim`)) : d));
    const minus = out.filter((d) => d === -1).length;
    if (minus > 1) ctx.fail(`target shape [${target.join(',')}] has more than one -1`);
    const known = numElements(out.filter((d) => d !== -1));
    const total = numElements(x.shape);
    if (minus === 1) {
      if (known === 0 || total % known !== 0) ctx.fail(`cannot infer -1 in [${target.join(',')}] for ${total} elements`);
      out[out.indexOf(-1)] = total / known;
    } else if (known !== total) ctx.fail(`target shape [${target.join(',')}] has ${known} elements, input has ${total}`);
    return [{ dtype: x.dtype, shape: out }];
  },
  fold(_ctx, values) {
    return [values[0] as NonNullable<(typeof values)[0]>];
  },
};

/** Reshape x to `shape` (numbers become an int64 constant). */
export function Reshape(x: Var, shape: readonly number[] | Var, name?: string): Var {
  const s = Array.isArray(shape) ? x.builder.ints(shape as number[]) : (shape as Var);
  return x.builder.op1('Reshape', [x, s], {}, name);
}
