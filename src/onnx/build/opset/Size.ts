// Size: the element count of x as an int64 scalar (ONNX opset 13). Known at build time (static shapes).
import { numElements } from '../../ir/dtype';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export const schema: OpSchema = {
  opType: 'Size',
  infer(ctx) {
    return [{ dtype: 'int64', shape: [], constValue: BigInt64Array.of(BigInt(numElements(ctx.input(0).shape))) }];
  },
};

/** Number of elements of x, as an int64 scalar. */
export function Size(x: Var, name?: string): Var {
  return x.builder.op1('Size', [x], {}, name);
}
