// Data side of the float16 conversion (toFloat16.ts): float32 tensors → float16 bits with clamping to the
// finite half range, and node attributes that name a float32 type or hold float32 data. Pure.
// Reference: IEEE 754 binary16 (max finite 65504); onnxconverter-common float16.convert_np_to_float16.
import { GraphError } from '../../lib/errors';
import { f32ToF16Bits } from '../../lib/float16';
import type { AttrValue, Node, TensorData } from '../ir/types';

export type Half = 'float16';

/** largest finite float16 */
export const FLOAT16_MAX = 65504;

/** float32 data → float16 bits; finite values beyond ±65504 are clamped (counted), ±Inf and NaN kept. */
export function toHalfBits(src: Float32Array): { bits: Uint16Array; clamped: number } {
  const bits = new Uint16Array(src.length);
  let clamped = 0;
  for (let i = 0; i < src.length; i++) {
    let v = src[i] as number;
    if (Number.isFinite(v) && Math.abs(v) > FLOAT16_MAX) {
      v = Math.sign(v) * FLOAT16_MAX;
      clamped++;
    }
    bits[i] = f32ToF16Bits(v);
  }
  return { bits, clamped };
}

/** A float16 copy of a float32 tensor under `name`. @throws GraphError when its data is not loaded */
export function f16Tensor(t: TensorData, name: string): { tensor: TensorData; clamped: number } {
  if (!(t.data instanceof Float32Array)) {
    throw new GraphError(`toFloat16: float32 initializer "${t.name}" has no loaded data (external data must be read before conversion)`);
  }
  const { bits, clamped } = toHalfBits(t.data);
  return { tensor: { name, dtype: 'float16', dims: [...t.dims], data: bits }, clamped };
}

/** Attributes of a node computed in float16: Cast to float32 → float16, float32 Constant/ConstantOfShape data → float16. */
export function f16Attributes(n: Node): Node['attributes'] {
  const a = n.attributes;
  if (n.opType === 'Cast' && a.to?.type === 'int' && a.to.value === 1) return { ...a, to: { type: 'int', value: 10 } };
  if (n.opType !== 'Constant' && n.opType !== 'ConstantOfShape') return a;
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(a)) {
    if (v.type === 'tensor' && v.value.dtype === 'float32') out[k] = { type: 'tensor', value: f16Tensor(v.value, v.value.name).tensor };
    else if (k === 'value_float' && v.type === 'float') out.value = { type: 'tensor', value: { name: 'value', dtype: 'float16', dims: [], data: toHalfBits(Float32Array.of(v.value)).bits } };
    else if (k === 'value_floats' && v.type === 'floats') out.value = { type: 'tensor', value: { name: 'value', dtype: 'float16', dims: [v.value.length], data: toHalfBits(Float32Array.from(v.value)).bits } };
    else out[k] = v;
  }
  return out;
}
