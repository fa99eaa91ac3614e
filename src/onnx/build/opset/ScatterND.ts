// ScatterND (ONNX opset 16): indices [..., k] address data[:k] slices; updates shape = indices[:-1] + data[k:];
// out = copy of data with those slices replaced (reduction 'none') or accumulated ('add'/'mul').
// Reference: ONNX Operators.md#ScatterND. With 'none', duplicate indices have no defined winner.
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';
import type { ScatterReduction } from './ScatterElements';

export const schema: OpSchema = {
  opType: 'ScatterND',
  infer(ctx) {
    const data = ctx.input(0);
    const ind = ctx.input(1);
    const upd = ctx.input(2);
    ctx.expectDtype([1], ['int64']);
    const red = ctx.string('reduction', 'none');
    if (!['none', 'add', 'mul'].includes(red)) ctx.fail(`reduction "${red}" is not one of none/add/mul`);
    const k = ind.shape[ind.shape.length - 1];
    if (k === undefined || k > data.shape.length) ctx.fail(`indices last dim ${k} must be ≤ data rank ${data.shape.length}`);
    const want = [...ind.shape.slice(0, -1), ...data.shape.slice(k)];
    if (upd.dtype !== data.dtype || want.length !== upd.shape.length || want.some((d, i) => d !== upd.shape[i])) {
      ctx.fail(`updates must be ${data.dtype}[${want.join(',')}]`);
    }
    return [{ dtype: data.dtype, shape: [...data.shape] }];
  },
};

/** Writes (or accumulates) `updates` into a copy of data at the int64 index tuples in `indices` [..., k]. */
export function ScatterND(data: Var, indices: Var, updates: Var, reduction: ScatterReduction = 'none', name?: string): Var {
  return data.builder.op1('ScatterND', [data, indices, updates], { reduction: attr.string(reduction) }, name);
}
