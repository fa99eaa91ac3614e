// Every gradient-rule case, by op type: shared by the vitest suite and `npm run gradcheck` (tools/gradcheck.ts).
import type { GradCase } from '../../../helpers/finiteDiff';
import { cases as Add } from './Add';
import * as linalg from './linalg';
import * as logic from './logic';
import * as shape from './shape';
import * as select from './select';
import * as unary from './unary';
import { cases as Conv } from './Conv';
import { cases as ConvTranspose } from './ConvTranspose';
import { cases as Einsum } from './Einsum';
import { cases as Resize } from './Resize';
import { cases as Div } from './Div';
import { cases as Identity } from './Identity';
import { cases as MatMul } from './MatMul';
import { cases as Mul } from './Mul';
import { cases as ReduceSum } from './ReduceSum';
import { cases as Reshape } from './Reshape';
import { cases as Softmax } from './Softmax';
import { cases as Sub } from './Sub';
import { cases as Transpose } from './Transpose';

/** op type → its finite-difference cases */
export const OP_CASES: Record<string, GradCase[]> = {
  Add, Conv, ConvTranspose, Div, Einsum, Identity, MatMul, Mul, ReduceSum, Reshape, Resize, Softmax, Sub, Transpose,
  ...linalg, ...logic, ...select, ...shape, ...unary,
};
