// Gradient cases for ReduceSum: chosen axes with and without keepdims, and all axes.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'ReduceSum axes [1] keepdims', build: (b, t) => ({ y: op.ReduceSum(b.input('x', t, [2, 3, 4]), [1]) }) },
  { name: 'ReduceSum axes [0,-1] no keepdims', build: (b, t) => ({ y: op.ReduceSum(b.input('x', t, [2, 3, 4]), [0, -1], false) }) },
  { name: 'ReduceSum all', build: (b, t) => ({ y: op.ReduceSum(b.input('x', t, [2, 3]), undefined, false) }) },
];
