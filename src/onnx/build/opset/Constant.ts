// Constant: a tensor given by one attribute — value (tensor), value_float(s) or value_int(s) (ONNX opset 13;
// sparse_value and value_string(s) are not supported). Its value is known at build time.
// numbersToTyped also serves ConstantOfShape: float16/bfloat16 numbers become bit patterns (lib/float16).
import { GraphError } from '../../../lib/errors';
import { f32ToBf16Bits, f32ToF16Bits } from '../../../lib/float16';
import { allocTyped } from '../../ir/dtype';
import type { DType, TypedData } from '../../ir/types';
import { attr } from '../attrs';
import type { GraphBuilder } from '../GraphBuilder';
import type { OpSchema, ValueSpec } from '../schema';
import type { Var } from '../Var';

/** Numbers as the typed array of `dtype` (int64 via BigInt, float16/bfloat16 as bits); strings unsupported. */
export function numbersToTyped(values: readonly number[], dtype: DType): TypedData {
  const out = allocTyped(dtype, values.length);
  if (Array.isArray(out)) throw new GraphError(`cannot make a ${dtype} tensor from numbers`);
  values.forEach((v, i) => {
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = BigInt(Math.trunc(v));
    else if (dtype === 'float16') out[i] = f32ToF16Bits(v);
    else if (dtype === 'bfloat16') out[i] = f32ToBf16Bits(v);
    else out[i] = v;
  });
  return out;
}

export const schema: OpSchema = {
  opType: 'Constant',
  infer(ctx): ValueSpec[] {
    const names = Object.keys(ctx.node.attributes);
    if (names.length !== 1) ctx.fail(`needs exactly one value attribute, got [${names.join(', ')}]`);
    const a = ctx.node.attributes[names[0] as string];
    if (names[0] === 'value' && a?.type === 'tensor') {
      const t = a.value;
      if (!t.data) ctx.fail('attribute "value" has no loaded data (external data is not supported here)');
      return [{ dtype: t.dtype, shape: [...t.dims], constValue: t.data }];
    }
    if (names[0] === 'value_float' && a?.type === 'float') return [{ dtype: 'float32', shape: [], constValue: Float32Array.of(a.value) }];
    if (names[0] === 'value_floats' && a?.type === 'floats') return [{ dtype: 'float32', shape: [a.value.length], constValue: Float32Array.from(a.value) }];
    if (names[0] === 'value_int' && a?.type === 'int') return [{ dtype: 'int64', shape: [], constValue: BigInt64Array.of(BigInt(a.value)) }];
    if (names[0] === 'value_ints' && a?.type === 'ints') return [{ dtype: 'int64', shape: [a.value.length], constValue: numbersToTyped(a.value, 'int64') }];
    return ctx.fail(`unsupported attribute "${names[0]}" of type ${a?.type}; use value, value_float(s) or value_int(s)`);
  },
};

/**
 * A Constant node holding `values` as a `dtype` tensor of `shape` (default [values.length]); written as the
 * `value` tensor attribute. Use GraphBuilder.constant for an initializer instead.
 */
export function Constant(b: GraphBuilder, values: TypedData | readonly number[], dtype: DType = 'float32', shape?: readonly number[], name?: string): Var {
  const data = ArrayBuffer.isView(values) ? (values as TypedData) : numbersToTyped(values as unknown as readonly number[], dtype);
  const dims = shape ? [...shape] : [data.length];
  return b.op1('Constant', [], { value: attr.tensor({ name: 'value', dtype, dims, data }) }, name);
}
