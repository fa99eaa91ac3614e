// ReduceProd: the product Πx over the `axes` attribute (ONNX opset 13; axes become an input only at opset 18).
// Absent axes reduce every axis; keepdims (default true) keeps size-1 dims. Folds constants.
import { attr, compactAttrs } from '../attrs';
import { NUMERIC_DTYPES } from '../elementwiseKinds';
import { attrReduceSchema } from '../reduce';
import type { Var } from '../Var';

export const schema = attrReduceSchema('ReduceProd', NUMERIC_DTYPES, { init: 1, step: (p, x) => p * x });

/** the product Πx over `axes` (all when omitted or empty). */
export function ReduceProd(x: Var, axes?: readonly number[], keepdims = true, name?: string): Var {
  const attributes = compactAttrs({ axes: axes && axes.length ? attr.ints(axes) : undefined, keepdims: attr.int(keepdims ? 1 : 0) });
  return x.builder.op1('ReduceProd', [x], attributes, name);
}
