// The opset: one constructor per ONNX op type, each file named exactly after the op (house-style.md §11).
// SCHEMAS lists every op's inference; build/registry.ts turns it into the lookup table.
import type { OpSchema } from '../schema';
import { schema as Add } from './Add';
import { schema as Conv } from './Conv';
import { schema as Div } from './Div';
import { schema as Identity } from './Identity';
import { schema as InstanceNormalization } from './InstanceNormalization';
import { schema as MatMul } from './MatMul';
import { schema as Mul } from './Mul';
import { schema as ReduceSum } from './ReduceSum';
import { schema as Reshape } from './Reshape';
import { schema as Softmax } from './Softmax';
import { schema as Sub } from './Sub';
import { schema as Transpose } from './Transpose';

/** op type → schema, for registry.ts */
export const SCHEMAS: Record<string, OpSchema> = {
  Add, Conv, Div, Identity, InstanceNormalization, MatMul, Mul, ReduceSum, Reshape, Softmax, Sub, Transpose,
};

export { Add } from './Add';
export { Conv } from './Conv';
export type { ConvOptions } from './Conv';
export { Div } from './Div';
export { Identity } from './Identity';
export { InstanceNormalization } from './InstanceNormalization';
export { MatMul } from './MatMul';
export { Mul } from './Mul';
export { ReduceSum } from './ReduceSum';
export { Reshape } from './Reshape';
export { Softmax } from './Softmax';
export { Sub } from './Sub';
export { Transpose } from './Transpose';
