// Concat: joins tensors along one axis (ONNX opset 13). Folds constants (building shapes from pieces).
// Reference: ONNX Operators.md#Concat (same rank and dtype; all dims equal except `axis`).
import { attr } from '../attrs';
import { concatData } from '../fold';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Concat',
  infer(ctx) {
    const first = ctx.input(0);
    const rank = first.shape.length;
    const axis = ctx.axis(ctx.int('axis'), rank);
    const out = [...first.shape];
    out[axis] = 0;
    ctx.inputs.forEach((spec, i) => {
      const s = spec ?? ctx.fail(`input ${i} is missing`);
      if (s.dtype !== first.dtype) ctx.fail(`input ${i} has dtype ${s.dtype}, input 0 has ${first.dtype}`);
      if (s.shape.length !== rank || s.shape.some((d, k) => k !== axis && d !== first.shape[k])) {
        ctx.fail(`input ${i} shape [${s.shape.join(',')}] differs from [${first.shape.join(',')}] off axis ${axis}`);
      }
      out[axis] = (out[axis] as number) + (s.shape[axis] as number);
    });
    return [{ dtype: first.dtype, shape: out }];
  },
  fold(ctx, values) {
    const axis = ctx.axis(ctx.int('axis'), ctx.input(0).shape.length);
    const parts = values.map((data, i) => ({ data, shape: ctx.input(i).shape }));
    return [concatData(ctx.input(0).dtype, parts, axis)];
  },
};

/** Concatenates `xs` along `axis` (negative counts from the end). */
export function Concat(xs: readonly Var[], axis: number, name?: string): Var {
  const first = xs[0];
  if (!first) throw new RangeError('Concat needs at least one input');
  if (xs.length > MAX_CONCAT_INPUTS) {
    const groups: Var[] = [];
    for (let i = 0; i < xs.length; i += MAX_CONCAT_INPUTS) {
      const part = xs.slice(i, i + MAX_CONCAT_INPUTS);
      groups.push(part.length === 1 ? (part[0] as Var) : Concat(part, axis, name && `${name}_part`));
    }
    return Concat(groups, axis, name);
  }
  return first.builder.op1('Concat', [...xs], { axis: attr.int(axis) }, name);
}

/**
 * Most inputs one Concat node gets. onnxruntime-web 1.30's WebGPU (JSEP) Concat silently returns wrong values
 * with 8 or more inputs (measured in Chromium/SwiftShader: 7 inputs exact, 8 wrong; one storage buffer per input
 * plus the output exceeds the default limit of 8 per shader stage), so longer lists become nested Concats.
 */
export const MAX_CONCAT_INPUTS = 6;
