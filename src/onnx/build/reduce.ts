// Schema factory for the reductions that take `axes` as an ATTRIBUTE at opset 13–17 (ReduceMean, ReduceMax,
// ReduceMin, ReduceProd, ReduceSumSquare): shape via reducedShape, dtype kept, numeric folding. Pure.
// Reference: ONNX Operators.md, Reduce* (opset 13): absent/empty axes reduce every axis; keepdims default 1.
import { allocTyped, numElements } from '../ir/dtype';
import type { DType, TypedData } from '../ir/types';
import { isFoldable } from './elementwiseKinds';
import { reducedShape } from './opset/ReduceSum';
import type { InferContext, OpSchema } from './schema';
import { stridesOf } from './shapes';

/** How one reduction combines values: acc = step(acc, x) from `init`, then finish(acc, count). */
export type Reducer = { init: number; step: (acc: number, x: number) => number; finish?: (acc: number, count: number) => number };

/** Normalised reduced axes (every axis when the attribute is absent or empty). */
function reducedAxes(ctx: InferContext, rank: number): number[] {
  const axes = ctx.ints('axes', []) ?? [];
  const norm = (axes.length ? axes : Array.from({ length: rank }, (_, i) => i)).map((a) => ctx.axis(a, rank));
  if (new Set(norm).size !== norm.length) ctx.fail(`axes [${axes.join(',')}] name the same axis twice`);
  return norm;
}

/** Folds the reduction of `x` (shape `shape`) over `axes` into `dtype`. */
function foldReduce(dtype: DType, x: TypedData, shape: number[], axes: number[], r: Reducer): TypedData {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptStrides = stridesOf(kept);
  const inStrides = stridesOf(shape);
  const acc = new Array<number>(numElements(kept)).fill(r.init);
  for (let flat = 0; flat < numElements(shape); flat++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) {
      const idx = Math.floor(flat / (inStrides[d] as number)) % (shape[d] as number);
      if (!axes.includes(d)) o += idx * (keptStrides[d] as number);
    }
    acc[o] = r.step(acc[o] as number, Number((x as ArrayLike<number | bigint>)[flat]));
  }
  const count = axes.reduce((p, a) => p * (shape[a] as number), 1);
  const out = allocTyped(dtype, acc.length);
  acc.forEach((a, i) => {
    const v = r.finish ? r.finish(a, count) : a;
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = BigInt(Math.trunc(v));
    else (out as Float32Array)[i] = v;
  });
  return out;
}

/** Schema of an attribute-axes reduction over `dtypes`. */
export function attrReduceSchema(opType: string, dtypes: DType[], r: Reducer): OpSchema {
  return {
    opType,
    infer(ctx) {
      const x = ctx.input(0);
      ctx.expectDtype([0], dtypes);
      const axes = reducedAxes(ctx, x.shape.length);
      return [{ dtype: x.dtype, shape: reducedShape(ctx, x.shape, axes, ctx.int('keepdims', 1) === 1) }];
    },
    fold(ctx, values) {
      const x = ctx.input(0);
      if (!isFoldable(x.dtype) || !values[0]) return [];
      return [foldReduce(x.dtype, values[0], x.shape, reducedAxes(ctx, x.shape.length), r)];
    },
  };
}
