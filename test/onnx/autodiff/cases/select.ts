// Gradient cases for selection-like ops: ReduceMin, ReduceSumSquare, Max, Min, Clip, CumSum, GatherElements.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';
import { distinct } from './sampling';

export const ReduceMin: GradCase[] = [{ name: 'ReduceMin axes [1]', sample: distinct(), build: (b, t) => ({ y: op.ReduceMin(b.input('x', t, [2, 3, 4]), [1]) }) }];
export const ReduceSumSquare: GradCase[] = [{ name: 'ReduceSumSquare axes [0,2]', build: (b, t) => ({ y: op.ReduceSumSquare(b.input('x', t, [2, 3, 4]), [0, 2], false) }) }];
export const Max: GradCase[] = [{ name: 'Max broadcast [2,3] vs [3]', sample: distinct(), build: (b, t) => ({ y: op.Max(b.input('a', t, [2, 3]), b.input('b', t, [3])) }) }];
export const Min: GradCase[] = [{ name: 'Min of three', sample: distinct(), build: (b, t) => ({ y: op.Min(b.input('a', t, [4]), b.input('b', t, [4]), b.input('c', t, [4])) }) }];
export const Clip: GradCase[] = [{ name: 'Clip [-0.5, 0.7]', sample: distinct(), build: (b, t) => ({ y: op.Clip(b.input('x', t, [3, 4]), b.constant([-0.5], t, []), b.constant([0.7], t, [])) }) }];
export const CumSum: GradCase[] = [
  { name: 'CumSum axis 1', build: (b, t) => ({ y: op.CumSum(b.input('x', t, [2, 5]), 1) }) },
  { name: 'CumSum exclusive reverse', build: (b, t) => ({ y: op.CumSum(b.input('x', t, [2, 5]), 1, { exclusive: true, reverse: true }) }) },
];
export const GatherElements: GradCase[] = [
  { name: 'GatherElements repeated indices', build: (b, t) => ({ y: op.GatherElements(b.input('x', t, [3, 4]), b.constant([2, 0, 1, 1, 2, 2, 0, 1], 'int64', [2, 4]), 0) }) },
];
