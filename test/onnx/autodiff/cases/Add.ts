// Gradient cases for Add: same shapes, broadcasting both ways, scalar operand.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Add same shape', build: (b, t) => ({ y: op.Add(b.input('a', t, [2, 3]), b.input('b', t, [2, 3])) }) },
  { name: 'Add broadcast [2,1,4]+[3,1]', build: (b, t) => ({ y: op.Add(b.input('a', t, [2, 1, 4]), b.input('b', t, [3, 1])) }) },
  { name: 'Add scalar', build: (b, t) => ({ y: op.Add(b.input('a', t, [3, 2]), b.input('b', t, [])) }) },
];
