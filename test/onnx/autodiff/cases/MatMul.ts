// Gradient cases for MatMul: 2-D, batched, broadcast batch, and 1-D operands.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'MatMul [3,4]@[4,2]', build: (b, t) => ({ y: op.MatMul(b.input('a', t, [3, 4]), b.input('b', t, [4, 2])) }) },
  { name: 'MatMul batched [2,3,4]@[2,4,5]', build: (b, t) => ({ y: op.MatMul(b.input('a', t, [2, 3, 4]), b.input('b', t, [2, 4, 5])) }) },
  { name: 'MatMul broadcast [2,1,3,4]@[3,4,2]', build: (b, t) => ({ y: op.MatMul(b.input('a', t, [2, 1, 3, 4]), b.input('b', t, [3, 4, 2])) }) },
  { name: 'MatMul weight [2,3,4]@[4,2]', build: (b, t) => ({ y: op.MatMul(b.input('a', t, [2, 3, 4]), b.input('b', t, [4, 2])) }) },
  { name: 'MatMul 1-D [4]@[2,4,3]', build: (b, t) => ({ y: op.MatMul(b.input('a', t, [4]), b.input('b', t, [2, 4, 3])) }) },
  { name: 'MatMul 1-D [3,4]@[4]', build: (b, t) => ({ y: op.MatMul(b.input('a', t, [3, 4]), b.input('b', t, [4])) }) },
];
