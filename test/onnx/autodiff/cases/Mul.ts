// Gradient cases for Mul: same shapes, broadcasting, and x·x (fan-out of one value into both inputs).
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Mul same shape', build: (b, t) => ({ y: op.Mul(b.input('a', t, [2, 3]), b.input('b', t, [2, 3])) }) },
  { name: 'Mul broadcast [2,3,4]*[3,1]', build: (b, t) => ({ y: op.Mul(b.input('a', t, [2, 3, 4]), b.input('b', t, [3, 1])) }) },
  { name: 'Mul x*x', build: (b, t) => { const x = b.input('x', t, [5]); return { y: op.Mul(x, x) }; } },
];
