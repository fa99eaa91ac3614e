// Unsqueeze: inserts size-1 axes; `axes` is an int64 INPUT since opset 13. Folds constants (shape subgraphs).
// Reference: ONNX Operators.md#Unsqueeze (axes index the OUTPUT rank, may be negative, must be unique).
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Unsqueeze',
  infer(ctx) {
    const x = ctx.input(0);
    const axes = ctx.constInts(1, 'axes');
    const rank = x.shape.length + axes.length;
    const norm = axes.map((a) => ctx.axis(a, rank));
    if (new Set(norm).size !== norm.length) ctx.fail(`axes [${axes.join(',')}] repeat an axis`);
    const rest = [...x.shape];
    const out = Array.from({ length: rank }, (_, i) => (norm.includes(i) ? 1 : (rest.shift() as number)));
    return [{ dtype: x.dtype, shape: out }];
  },
  fold: (_ctx, values) => [values[0] as NonNullable<(typeof values)[0]>],
};

/** Inserts size-1 axes at `axes` (positions in the output). x: [2,3], axes [0] → [1,2,3]. */
export function Unsqueeze(x: Var, axes: readonly number[], name?: string): Var {
  return x.builder.op1('Unsqueeze', [x, x.builder.ints(axes)], {}, name);
}
