// The opset: one constructor per ONNX op type, each file named exactly after the op (house-style.md §11).
// SCHEMAS lists every op's inference; build/registry.ts turns it into the lookup table.
import type { OpSchema } from '../schema';
import { schema as Neg } from './Neg';
import { schema as Abs } from './Abs';
import { schema as Sqrt } from './Sqrt';
import { schema as Exp } from './Exp';
import { schema as Log } from './Log';
import { schema as Reciprocal } from './Reciprocal';
import { schema as Erf } from './Erf';
import { schema as Tanh } from './Tanh';
import { schema as Sigmoid } from './Sigmoid';
import { schema as Relu } from './Relu';
import { schema as Cos } from './Cos';
import { schema as Sin } from './Sin';
import { schema as Pow } from './Pow';
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
import { schema as Unsqueeze } from './Unsqueeze';
import { schema as Squeeze } from './Squeeze';
import { schema as Concat } from './Concat';
import { schema as Slice } from './Slice';
import { schema as Expand } from './Expand';
import { schema as Gather } from './Gather';
import { schema as Flatten } from './Flatten';
import { schema as Split } from './Split';
import { schema as Pad } from './Pad';
import { schema as Tile } from './Tile';

/** op type → schema, for registry.ts */
export const SCHEMAS: Record<string, OpSchema> = {
  Neg, Abs, Sqrt, Exp, Log, Reciprocal, Erf, Tanh, Sigmoid, Relu, Cos, Sin, Pow,
  Unsqueeze, Squeeze, Concat, Slice, Expand, Gather, Flatten, Split, Pad, Tile,
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
export { Unsqueeze } from './Unsqueeze';
export { Squeeze } from './Squeeze';
export { Concat } from './Concat';
export { Slice } from './Slice';
export { Expand } from './Expand';
export { Gather } from './Gather';
export { Flatten } from './Flatten';
export { Split } from './Split';
export { Pad } from './Pad';
export { Tile } from './Tile';
export type { PadMode, PadOptions } from './Pad';
export { Neg } from './Neg';
export { Abs } from './Abs';
export { Sqrt } from './Sqrt';
export { Exp } from './Exp';
export { Log } from './Log';
export { Reciprocal } from './Reciprocal';
export { Erf } from './Erf';
export { Tanh } from './Tanh';
export { Sigmoid } from './Sigmoid';
export { Relu } from './Relu';
export { Cos } from './Cos';
export { Sin } from './Sin';
export { Pow } from './Pow';
