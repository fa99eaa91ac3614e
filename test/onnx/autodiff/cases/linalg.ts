// Gradient cases for Gemm, reductions and normalisations.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';
import { distinct } from './sampling';

export const Gemm: GradCase[] = [
  { name: 'Gemm plain with C [3]', build: (b, t) => ({ y: op.Gemm(b.input('a', t, [2, 4]), b.input('b', t, [4, 3]), b.input('c', t, [3])) }) },
  { name: 'Gemm transA transB alpha beta', build: (b, t) => ({ y: op.Gemm(b.input('a', t, [4, 2]), b.input('b', t, [3, 4]), b.input('c', t, [2, 1]), { transA: true, transB: true, alpha: 0.7, beta: -1.3 }) }) },
];
export const ReduceMean: GradCase[] = [
  { name: 'ReduceMean axes [1]', build: (b, t) => ({ y: op.ReduceMean(b.input('x', t, [2, 3, 4]), [1]) }) },
  { name: 'ReduceMean all, no keepdims', build: (b, t) => ({ y: op.ReduceMean(b.input('x', t, [2, 3]), undefined, false) }) },
];
export const ReduceMax: GradCase[] = [
  { name: 'ReduceMax axes [-1]', sample: distinct(), build: (b, t) => ({ y: op.ReduceMax(b.input('x', t, [2, 3, 4]), [-1]) }) },
  { name: 'ReduceMax axes [0,2] no keepdims', sample: distinct(), build: (b, t) => ({ y: op.ReduceMax(b.input('x', t, [2, 3, 4]), [0, 2], false) }) },
];
export const LayerNormalization: GradCase[] = [
  { name: 'LayerNorm last axis', build: (b, t) => ({ y: op.LayerNormalization(b.input('x', t, [2, 3, 5]), b.input('g', t, [5]), b.input('beta', t, [5])) }) },
  { name: 'LayerNorm axis 1, no bias', build: (b, t) => ({ y: op.LayerNormalization(b.input('x', t, [2, 3, 4]), b.input('g', t, [3, 4]), undefined, { axis: 1, epsilon: 1e-3 }) }) },
];
export const InstanceNormalization: GradCase[] = [
  { name: 'InstanceNorm [2,3,3,4]', build: (b, t) => ({ y: op.InstanceNormalization(b.input('x', t, [2, 3, 3, 4]), b.input('g', t, [3]), b.input('beta', t, [3])) }) },
];
