// Gradient cases for Softmax: last axis and a middle axis.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Softmax axis -1', build: (b, t) => ({ y: op.Softmax(b.input('x', t, [2, 5])) }) },
  { name: 'Softmax axis 1 of 3-D', build: (b, t) => ({ y: op.Softmax(b.input('x', t, [2, 3, 4]), 1) }) },
];
