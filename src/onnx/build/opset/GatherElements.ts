// GatherElements (ONNX opset 13): out[i][j][k] = data[index[i][j][k]][j][k] for axis 0 (likewise for other axes);
// output shape = indices shape, indices int32/int64 of the same rank, negative indices count from the end.
// Reference: ONNX Operators.md#GatherElements.
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'GatherElements',
  infer(ctx) {
    const data = ctx.input(0);
    const ind = ctx.input(1);
    ctx.expectDtype([1], ['int32', 'int64']);
    const rank = data.shape.length;
    const axis = ctx.axis(ctx.int('axis', 0), rank);
    if (ind.shape.length !== rank) ctx.fail(`indices rank ${ind.shape.length} must equal data rank ${rank}`);
    if (ind.shape.some((d, i) => i !== axis && d > (data.shape[i] as number))) ctx.fail(`indices dims must not exceed data dims off axis ${axis}`);
    return [{ dtype: data.dtype, shape: [...ind.shape] }];
  },
};

/** Picks data elements along `axis` at `indices` (same rank as data). */
export function GatherElements(data: Var, indices: Var, axis = 0, name?: string): Var {
  return data.builder.op1('GatherElements', [data, indices], { axis: attr.int(axis) }, name);
}
