// Range: [start, start+delta, …) up to limit, from three scalar inputs of one dtype (ONNX opset 11).
// Length max(ceil((limit − start) / delta), 0) needs constant inputs (static shapes). Folds constants.
import { numbersToTyped } from './Constant';
import type { InferContext, OpSchema } from '../schema';
import type { Var } from '../Var';

/** [start, limit, delta] as numbers, failing unless each is a constant scalar. */
function bounds(ctx: InferContext): [number, number, number] {
  const names = ['start', 'limit', 'delta'];
  const out = [0, 1, 2].map((i) => {
    const s = ctx.input(i);
    if (s.shape.length !== 0) ctx.fail(`${names[i]} (input ${i}) must be a scalar, got shape [${s.shape.join(',')}]`);
    return ctx.constInts(i, names[i] as string)[0] as number;
  });
  if (out[2] === 0) ctx.fail('delta must not be 0');
  return out as [number, number, number];
}

export const schema: OpSchema = {
  opType: 'Range',
  infer(ctx) {
    ctx.expectDtype([0, 1, 2], ['float32', 'float64', 'int16', 'int32', 'int64']);
    const dtype = ctx.input(0).dtype;
    for (const i of [1, 2]) if (ctx.input(i).dtype !== dtype) ctx.fail(`dtypes differ: start is ${dtype}, input ${i} is ${ctx.input(i).dtype}`);
    const [start, limit, delta] = bounds(ctx);
    return [{ dtype, shape: [Math.max(Math.ceil((limit - start) / delta), 0)] }];
  },
  fold(ctx) {
    const [start, limit, delta] = bounds(ctx);
    const n = Math.max(Math.ceil((limit - start) / delta), 0);
    return [numbersToTyped(Array.from({ length: n }, (_, k) => start + k * delta), ctx.input(0).dtype)];
  },
};

/** start, start+delta, … while < limit (> limit for negative delta); scalars of one dtype, known at build time. */
export function Range(start: Var, limit: Var, delta: Var, name?: string): Var {
  return start.builder.op1('Range', [start, limit, delta], {}, name);
}
