// Clip: elementwise clamp of x to [min, max] (ONNX opset 13); min and max are optional scalar INPUTS of
// x's dtype (omitted = unbounded on that side). Folds constants.
import { foldBroadcast, NUMERIC_DTYPES } from '../elementwiseKinds';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Clip',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([0], NUMERIC_DTYPES);
    for (const i of [1, 2]) {
      if (!ctx.hasInput(i)) continue;
      const bound = ctx.input(i);
      if (bound.dtype !== x.dtype) ctx.fail(`input ${i} (${i === 1 ? 'min' : 'max'}) has dtype ${bound.dtype}, expected ${x.dtype} like x`);
      if (bound.shape.length !== 0) ctx.fail(`input ${i} (${i === 1 ? 'min' : 'max'}) must be a scalar, got shape [${bound.shape.join(',')}]`);
    }
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  fold(ctx, values) {
    const lo = ctx.hasInput(1) ? 1 : -1;
    const hi = ctx.hasInput(2) ? (ctx.hasInput(1) ? 2 : 1) : -1;
    return foldBroadcast(ctx, values, ctx.input(0).dtype, (xs) => {
      let v = xs[0] as number;
      if (lo > 0) v = Math.max(v, xs[lo] as number);
      if (hi > 0) v = Math.min(v, xs[hi] as number);
      return v;
    });
  },
};

/** clamp(x, min, max); a number bound becomes a scalar constant of x's dtype, undefined leaves that side open. */
export function Clip(x: Var, min?: Var | number, max?: Var | number, name?: string): Var {
  const asVar = (v: Var | number | undefined): Var | undefined => (typeof v === 'number' ? x.builder.scalar(v, x.dtype) : v);
  return x.builder.op1('Clip', [x, asVar(min), asVar(max)], {}, name);
}
