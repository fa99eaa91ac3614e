// Tile: repeats x along each axis by an int64 `repeats` INPUT (ONNX opset 13): out dim = dim · repeat.
// Reference: ONNX Operators.md#Tile.
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Tile',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([1], ['int64']);
    const reps = ctx.constInts(1, 'repeats');
    if (reps.length !== x.shape.length || reps.some((r) => r < 0)) ctx.fail(`repeats [${reps.join(',')}] must be ${x.shape.length} values ≥ 0`);
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => d * (reps[i] as number)) }];
  },
};

/** Repeats x `repeats[i]` times along axis i. x: [2,3], repeats [2,1] → [4,3]. */
export function Tile(x: Var, repeats: readonly number[], name?: string): Var {
  return x.builder.op1('Tile', [x, x.builder.ints(repeats)], {}, name);
}
