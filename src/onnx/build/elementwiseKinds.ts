// Schema factories for the typed elementwise families (float-only unary maths, comparisons, logical ops,
// variadic Max/Min): dtype checks plus numeric folding on top of elementwise.ts. Pure.
// Folding never runs on float16/bfloat16 (their data are bit patterns): fold returns [] and the value stays
// unknown. Reference: ONNX Operators.md (type constraints of each op), Broadcasting.md.
import type { DType, TypedData } from '../ir/types';
import { mapBroadcast, unarySchema } from './elementwise';
import type { InferContext, OpSchema, ValueSpec } from './schema';
import { broadcastShapes } from './shapes';

export const FLOAT_DTYPES: DType[] = ['float32', 'float16', 'bfloat16', 'float64'];
export const SIGNED_DTYPES: DType[] = [...FLOAT_DTYPES, 'int8', 'int16', 'int32', 'int64'];
export const NUMERIC_DTYPES: DType[] = [...SIGNED_DTYPES, 'uint8', 'uint16', 'uint32', 'uint64'];

/** Whether build-time folding can compute on this dtype's data as numbers. */
export function isFoldable(dtype: DType): boolean {
  return dtype !== 'float16' && dtype !== 'bfloat16' && dtype !== 'string';
}

/** Unary op keeping dtype and shape, restricted to `dtypes`; folds with `fn` when given. */
export function typedUnarySchema(opType: string, dtypes: DType[], fn?: (x: number) => number): OpSchema {
  const base = unarySchema(opType, fn);
  const fold = base.fold;
  return {
    opType,
    infer(ctx) {
      ctx.expectDtype([0], dtypes);
      return base.infer(ctx);
    },
    fold: fold ? (ctx, values) => (isFoldable(ctx.input(0).dtype) ? fold(ctx, values) : []) : undefined,
  };
}

/** Output spec of a broadcast over every present input, requiring equal dtypes among `same` indices. */
export function broadcastSpec(ctx: InferContext, same: number[], dtype: DType): ValueSpec {
  const first = ctx.input(same[0] as number);
  for (const i of same) {
    const s = ctx.input(i);
    if (s.dtype !== first.dtype) ctx.fail(`dtypes differ: input ${same[0]} is ${first.dtype}, input ${i} is ${s.dtype}`);
  }
  const shapes = ctx.inputs.filter((s): s is ValueSpec => s !== undefined).map((s) => s.shape);
  return { dtype, shape: broadcastShapes(ctx, ...shapes) };
}

/** Folds fn over every input, broadcast, into `dtype` (nothing when any dtype is not foldable). */
export function foldBroadcast(ctx: InferContext, values: TypedData[], dtype: DType, fn: (xs: number[]) => number): TypedData[] {
  const specs = ctx.inputs.filter((s): s is ValueSpec => s !== undefined);
  if (!isFoldable(dtype) || specs.some((s) => !isFoldable(s.dtype))) return [];
  const shape = broadcastShapes(ctx, ...specs.map((s) => s.shape));
  return [mapBroadcast(dtype, shape, specs.map((s) => s.shape), values.filter((v) => v !== undefined), fn)];
}

/** Comparison (Equal, Less, …): two inputs of one dtype, broadcast, bool output. */
export function compareSchema(opType: string, dtypes: DType[], fn: (a: number, b: number) => boolean): OpSchema {
  return {
    opType,
    infer(ctx) {
      ctx.expectDtype([0, 1], dtypes);
      return [broadcastSpec(ctx, [0, 1], 'bool')];
    },
    fold: (ctx, values) => foldBroadcast(ctx, values, 'bool', ([a, b]) => (fn(a as number, b as number) ? 1 : 0)),
  };
}

/** Logical op on bool inputs (And, Or, Xor), broadcast, bool output. */
export function logicalSchema(opType: string, fn: (a: boolean, b: boolean) => boolean): OpSchema {
  return {
    opType,
    infer(ctx) {
      ctx.expectDtype([0, 1], ['bool']);
      return [broadcastSpec(ctx, [0, 1], 'bool')];
    },
    fold: (ctx, values) => foldBroadcast(ctx, values, 'bool', ([a, b]) => (fn(a !== 0, b !== 0) ? 1 : 0)),
  };
}

/** Variadic broadcast op (Max, Min, Sum): 1+ inputs of one numeric dtype. */
export function variadicSchema(opType: string, fn: (xs: number[]) => number): OpSchema {
  return {
    opType,
    infer(ctx) {
      if (ctx.inputs.length === 0) ctx.fail('needs at least one input');
      ctx.expectDtype(ctx.inputs.map((_, i) => i), NUMERIC_DTYPES);
      return [broadcastSpec(ctx, ctx.inputs.map((_, i) => i), ctx.input(0).dtype)];
    },
    fold: (ctx, values) => foldBroadcast(ctx, values, ctx.input(0).dtype, fn),
  };
}
