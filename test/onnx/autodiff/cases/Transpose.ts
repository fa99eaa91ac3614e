// Gradient cases for Transpose: default (reversed) and an explicit permutation.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Transpose default', build: (b, t) => ({ y: op.Transpose(b.input('x', t, [2, 3, 4])) }) },
  { name: 'Transpose perm [1,2,0,3]', build: (b, t) => ({ y: op.Transpose(b.input('x', t, [2, 3, 4, 2]), [1, 2, 0, 3]) }) },
];
