// Attribute value constructors, so op constructors say exactly which ONNX attribute type they write. Pure.
import type { AttrValue, TensorData } from '../ir/types';

export const attr = {
  int: (value: number): AttrValue => ({ type: 'int', value: Math.trunc(value) }),
  float: (value: number): AttrValue => ({ type: 'float', value }),
  string: (value: string): AttrValue => ({ type: 'string', value }),
  ints: (value: readonly number[]): AttrValue => ({ type: 'ints', value: value.map((v) => Math.trunc(v)) }),
  floats: (value: readonly number[]): AttrValue => ({ type: 'floats', value: [...value] }),
  strings: (value: readonly string[]): AttrValue => ({ type: 'strings', value: [...value] }),
  tensor: (value: TensorData): AttrValue => ({ type: 'tensor', value }),
};

/** Drops undefined entries so optional attributes are simply absent. */
export function compactAttrs(attrs: Record<string, AttrValue | undefined>): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
  return out;
}
