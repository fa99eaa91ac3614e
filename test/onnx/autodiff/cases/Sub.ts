// Gradient cases for Sub: same shapes and broadcasting.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Sub same shape', build: (b, t) => ({ y: op.Sub(b.input('a', t, [2, 3]), b.input('b', t, [2, 3])) }) },
  { name: 'Sub broadcast [4]-[2,3,1]', build: (b, t) => ({ y: op.Sub(b.input('a', t, [4]), b.input('b', t, [2, 3, 1])) }) },
];
