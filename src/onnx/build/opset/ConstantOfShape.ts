// ConstantOfShape: a tensor of the shape given by a constant int64 1-D input, filled with the one-element
// `value` attribute (ONNX opset 9; default float32 0). Folds when small. Reference: ONNX Operators.md.
import { allocTyped, numElements } from '../../ir/dtype';
import type { DType, TensorData, TypedData } from '../../ir/types';
import { attr } from '../attrs';
import { numbersToTyped } from './Constant';
import type { InferContext, OpSchema } from '../schema';
import type { Var } from '../Var';

/** The fill value tensor from the attribute (float32 0 when absent). */
function fillTensor(ctx: InferContext): TensorData {
  const a = ctx.attr('value');
  if (a === undefined) return { name: 'value', dtype: 'float32', dims: [1], data: Float32Array.of(0) };
  if (a.type !== 'tensor') ctx.fail(`attribute "value" must be a tensor, got ${a.type}`);
  if (!a.value.data || a.value.data.length !== 1) ctx.fail(`attribute "value" must hold exactly one element, got ${a.value.data?.length ?? 'no data'}`);
  return a.value;
}

export const schema: OpSchema = {
  opType: 'ConstantOfShape',
  infer(ctx) {
    ctx.expectDtype([0], ['int64']);
    const dims = ctx.constInts(0, 'shape');
    if (dims.some((d) => d < 0)) ctx.fail(`shape [${dims.join(',')}] has a negative dim`);
    return [{ dtype: fillTensor(ctx).dtype, shape: dims }];
  },
  fold(ctx) {
    const fill = fillTensor(ctx);
    const out = allocTyped(fill.dtype, numElements(ctx.constInts(0, 'shape'))) as unknown as { fill(v: unknown): void };
    out.fill((fill.data as unknown as unknown[])[0]);
    return [out as unknown as TypedData];
  },
};

/** A tensor of `shape` (constant int64 [n] Var) filled with `value` of `dtype` (float32 0 by default). */
export function ConstantOfShape(shape: Var, value = 0, dtype: DType = 'float32', name?: string): Var {
  const data = numbersToTyped([value], dtype);
  return shape.builder.op1('ConstantOfShape', [shape], { value: attr.tensor({ name: 'value', dtype, dims: [1], data }) }, name);
}
