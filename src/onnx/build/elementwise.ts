// Shared inference and folding for numpy-broadcasting elementwise ops (Add, Sub, Mul, Div, Pow, Where, …).
// Pure. Reference: ONNX Broadcasting.md.
import { allocTyped, numElements } from '../ir/dtype';
import type { DType, TypedData } from '../ir/types';
import type { InferContext, OpSchema, ValueSpec } from './schema';
import { broadcastShapes, stridesOf } from './shapes';

/** Schema for a binary broadcasting op whose output dtype equals the input dtype. */
export function binarySchema(opType: string, fn?: (a: number, b: number) => number): OpSchema {
  return {
    opType,
    infer(ctx: InferContext): ValueSpec[] {
      const a = ctx.input(0);
      const b = ctx.input(1);
      if (a.dtype !== b.dtype) ctx.fail(`dtypes differ: ${a.dtype} vs ${b.dtype}`);
      return [{ dtype: a.dtype, shape: broadcastShapes(ctx, a.shape, b.shape) }];
    },
    fold: fn
      ? (ctx, values) => {
          const a = ctx.input(0);
          const b = ctx.input(1);
          if (!isFoldable(a.dtype)) return [];
          const shape = broadcastShapes(ctx, a.shape, b.shape);
          return [mapBroadcast(a.dtype, shape, [a.shape, b.shape], values, (x) => fn(x[0] as number, x[1] as number))];
        }
      : undefined,
  };
}

/** Schema for a unary op that keeps dtype and shape. */
export function unarySchema(opType: string, fn?: (x: number) => number): OpSchema {
  return {
    opType,
    infer(ctx) {
      const x = ctx.input(0);
      return [{ dtype: x.dtype, shape: [...x.shape] }];
    },
    fold: fn ? (ctx, values) => (!isFoldable(ctx.input(0).dtype) ? [] : [mapBroadcast(ctx.input(0).dtype, ctx.input(0).shape, [ctx.input(0).shape], values, (x) => fn(x[0] as number))]) : undefined,
  };
}

/** float16/bfloat16 hold bit patterns and strings no numbers: folding them numerically would be wrong. */
function isFoldable(dtype: DType): boolean {
  return dtype !== 'float16' && dtype !== 'bfloat16' && dtype !== 'string';
}

/** Applies fn elementwise over broadcast inputs (numeric dtypes only; int64 via Number). */
export function mapBroadcast(dtype: DType, outShape: number[], inShapes: number[][], inputs: TypedData[], fn: (xs: number[]) => number): TypedData {
  const n = numElements(outShape);
  const out = allocTyped(dtype, n);
  const outStrides = stridesOf(outShape);
  const inStrides = inShapes.map((s) => {
    const st = stridesOf(s);
    return outShape.map((_, i) => {
      const j = i - (outShape.length - s.length);
      return j >= 0 && (s[j] as number) !== 1 ? (st[j] as number) : 0;
    });
  });
  const xs = new Array<number>(inputs.length);
  for (let flat = 0; flat < n; flat++) {
    for (let k = 0; k < inputs.length; k++) {
      let off = 0;
      let rem = flat;
      for (let d = 0; d < outShape.length; d++) {
        const idx = Math.floor(rem / (outStrides[d] as number));
        rem -= idx * (outStrides[d] as number);
        off += idx * ((inStrides[k] as number[])[d] as number);
      }
      xs[k] = Number((inputs[k] as ArrayLike<number | bigint>)[off]);
    }
    const r = fn(xs);
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[flat] = BigInt(Math.trunc(r));
    else (out as Float32Array)[flat] = r;
  }
  return out;
}
