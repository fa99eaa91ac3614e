// Gradient cases for Reshape (with -1 and 0 in the target shape).
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Reshape [2,3,4]→[6,-1]', build: (b, t) => ({ y: op.Reshape(b.input('x', t, [2, 3, 4]), [6, -1]) }) },
  { name: 'Reshape [2,6]→[0,3,2]', build: (b, t) => ({ y: op.Reshape(b.input('x', t, [2, 6]), [0, 3, 2]) }) },
];
