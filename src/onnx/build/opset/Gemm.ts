// Gemm: Y = alpha · A' · B' + beta · C with A' = transA ? Aᵀ : A, B' likewise; C broadcasts to [M, N]
// (ONNX opset 13). Reference: ONNX Operators.md#Gemm (C: unidirectional broadcast, optional).
import { attr, compactAttrs } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export type GemmOptions = { alpha?: number; beta?: number; transA?: boolean; transB?: boolean; name?: string };

export const schema: OpSchema = {
  opType: 'Gemm',
  infer(ctx) {
    const a = ctx.input(0);
    const b = ctx.input(1);
    ctx.expectDtype([0, 1, 2], ['float32', 'float16', 'float64']);
    if (a.shape.length !== 2 || b.shape.length !== 2) ctx.fail('A and B must be 2-D');
    if (a.dtype !== b.dtype) ctx.fail(`dtypes differ: ${a.dtype} vs ${b.dtype}`);
    const [m, ka] = ctx.int('transA', 0) ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = ctx.int('transB', 0) ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (ka !== kb) ctx.fail(`inner dimensions differ: ${ka} vs ${kb} (transA=${ctx.int('transA', 0)}, transB=${ctx.int('transB', 0)})`);
    const out = [m as number, n as number];
    if (ctx.hasInput(2)) {
      const c = ctx.input(2).shape;
      const ok = c.length <= 2 && c.every((d, i) => d === 1 || d === out[out.length - c.length + i]);
      if (!ok) ctx.fail(`C [${c.join(',')}] does not broadcast to [${out.join(',')}]`);
    }
    return [{ dtype: a.dtype, shape: out }];
  },
};

/** alpha · op(a) @ op(b) + beta · c. a: [M, K] (or [K, M] with transA), b: [K, N] (or [N, K]), c → [M, N]. */
export function Gemm(a: Var, b: Var, c?: Var, o: GemmOptions = {}): Var {
  const attrs = compactAttrs({
    alpha: o.alpha !== undefined ? attr.float(o.alpha) : undefined,
    beta: o.beta !== undefined ? attr.float(o.beta) : undefined,
    transA: o.transA ? attr.int(1) : undefined,
    transB: o.transB ? attr.int(1) : undefined,
  });
  return a.builder.op1('Gemm', [a, b, c], attrs, o.name);
}
