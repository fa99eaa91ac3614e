// Gradient cases for Div: denominators kept away from 0.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';
import { awayFromZero } from './sampling';

export const cases: GradCase[] = [
  { name: 'Div same shape', sample: awayFromZero(0.5), build: (b, t) => ({ y: op.Div(b.input('a', t, [2, 3]), b.input('b', t, [2, 3])) }) },
  { name: 'Div broadcast [2,3]/[3]', sample: awayFromZero(0.5), build: (b, t) => ({ y: op.Div(b.input('a', t, [2, 3]), b.input('b', t, [3])) }) },
];
