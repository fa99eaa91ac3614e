// IsInf: elementwise ±∞ test of a float tensor (ONNX opset 10); bool output, same shape. Attributes
// detect_negative / detect_positive (default 1) choose which infinities count. Folds constants.
import { attr } from '../attrs';
import { FLOAT_DTYPES, foldBroadcast } from '../elementwiseKinds';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'IsInf',
  infer(ctx) {
    ctx.expectDtype([0], FLOAT_DTYPES);
    return [{ dtype: 'bool', shape: [...ctx.input(0).shape] }];
  },
  fold(ctx, values) {
    const neg = ctx.int('detect_negative', 1) === 1;
    const pos = ctx.int('detect_positive', 1) === 1;
    return foldBroadcast(ctx, values, 'bool', ([x]) => ((pos && x === Infinity) || (neg && x === -Infinity) ? 1 : 0));
  },
};

/** true where x is +∞ (when detectPositive) or −∞ (when detectNegative). */
export function IsInf(x: Var, detectNegative = true, detectPositive = true, name?: string): Var {
  const attributes = { detect_negative: attr.int(detectNegative ? 1 : 0), detect_positive: attr.int(detectPositive ? 1 : 0) };
  return x.builder.op1('IsInf', [x], attributes, name);
}
