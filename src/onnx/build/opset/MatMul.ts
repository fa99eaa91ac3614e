// MatMul: numpy matmul with batch broadcasting; 1-D operands are promoted and the added dim removed (opset 13).
import type { OpSchema } from '../schema';
import { broadcastShapes } from '../shapes';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'MatMul',
  infer(ctx) {
    const a = ctx.input(0);
    const b = ctx.input(1);
    ctx.expectDtype([0, 1], ['float32', 'float16', 'float64', 'int32', 'int64']);
    if (a.dtype !== b.dtype) ctx.fail(`dtypes differ: ${a.dtype} vs ${b.dtype}`);
    if (a.shape.length === 0 || b.shape.length === 0) ctx.fail('MatMul needs operands of rank ≥ 1');
    const as = a.shape.length === 1 ? [1, a.shape[0] as number] : a.shape;
    const bs = b.shape.length === 1 ? [b.shape[0] as number, 1] : b.shape;
    const k1 = as[as.length - 1];
    const k2 = bs[bs.length - 2];
    if (k1 !== k2) ctx.fail(`inner dimensions differ: ${k1} vs ${k2}`);
    const batch = broadcastShapes(ctx, as.slice(0, -2), bs.slice(0, -2));
    const out = [...batch];
    if (a.shape.length > 1) out.push(as[as.length - 2] as number);
    if (b.shape.length > 1) out.push(bs[bs.length - 1] as number);
    return [{ dtype: a.dtype, shape: out }];
  },
};

/** a @ b  — a: [..., M, K], b: [..., K, N] → [..., M, N] */
export function MatMul(a: Var, b: Var, name?: string): Var {
  return a.builder.op1('MatMul', [a, b], {}, name);
}
