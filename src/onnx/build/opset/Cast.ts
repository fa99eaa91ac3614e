// Cast: converts x to another element type (ONNX opset 13); attribute `to` is the TensorProto.DataType code
// (CODE_BY_DTYPE). Folds numeric constants: float→int truncates toward zero, anything→bool is x ≠ 0.
// Deviation: no folding to or from float16/bfloat16/string (the node stays in the graph).
import { CODE_BY_DTYPE, DTYPE_BY_CODE } from '../../ir/dtype';
import type { DType } from '../../ir/types';
import { attr } from '../attrs';
import { foldBroadcast } from '../elementwiseKinds';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Cast',
  infer(ctx) {
    const x = ctx.input(0);
    const code = ctx.int('to');
    const to = DTYPE_BY_CODE[code] ?? ctx.fail(`attribute "to" = ${code} is not a known ONNX data type code (known: ${Object.keys(DTYPE_BY_CODE).join(', ')})`);
    return [{ dtype: to, shape: [...x.shape] }];
  },
  fold(ctx, values) {
    const to = DTYPE_BY_CODE[ctx.int('to')] as DType;
    if (to === 'bool') return foldBroadcast(ctx, values, to, ([x]) => (x !== 0 ? 1 : 0));
    return foldBroadcast(ctx, values, to, ([x]) => (to.startsWith('float') ? (x as number) : Math.trunc(x as number)));
  },
};

/** x converted to `to` (e.g. Cast(mask, 'float32')). */
export function Cast(x: Var, to: DType, name?: string): Var {
  return x.builder.op1('Cast', [x], { to: attr.int(CODE_BY_DTYPE[to]) }, name);
}
