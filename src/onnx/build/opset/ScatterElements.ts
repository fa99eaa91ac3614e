// ScatterElements (ONNX opset 16): out = copy of data; out[index[i][j]][j] = updates[i][j] for axis 0, or += with
// reduction 'add' (also 'mul'). indices/updates share one shape of data's rank. Reference: Operators.md#ScatterElements.
// With reduction 'none', duplicate indices have no defined winner: callers must not rely on one.
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export type ScatterReduction = 'none' | 'add' | 'mul';

export const schema: OpSchema = {
  opType: 'ScatterElements',
  infer(ctx) {
    const data = ctx.input(0);
    const ind = ctx.input(1);
    const upd = ctx.input(2);
    ctx.expectDtype([1], ['int32', 'int64']);
    const rank = data.shape.length;
    const axis = ctx.axis(ctx.int('axis', 0), rank);
    const red = ctx.string('reduction', 'none');
    if (!['none', 'add', 'mul'].includes(red)) ctx.fail(`reduction "${red}" is not one of none/add/mul`);
    if (upd.dtype !== data.dtype) ctx.fail(`updates dtype ${upd.dtype} differs from data ${data.dtype}`);
    if (ind.shape.length !== rank || ind.shape.some((d, i) => d !== upd.shape[i]) || upd.shape.length !== rank) {
      ctx.fail(`indices and updates must share one shape of rank ${rank}`);
    }
    if (ind.shape.some((d, i) => i !== axis && d > (data.shape[i] as number))) ctx.fail(`indices dims must not exceed data dims off axis ${axis}`);
    return [{ dtype: data.dtype, shape: [...data.shape] }];
  },
};

/** Writes (or adds/multiplies) `updates` into a copy of data at `indices` along `axis`. */
export function ScatterElements(data: Var, indices: Var, updates: Var, axis = 0, reduction: ScatterReduction = 'none', name?: string): Var {
  return data.builder.op1('ScatterElements', [data, indices, updates], { axis: attr.int(axis), reduction: attr.string(reduction) }, name);
}
