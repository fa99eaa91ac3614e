// Gradient cases for the unary maths ops, each with a sampler that keeps inputs inside the smooth domain.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';
import { awayFromZero, positive } from './sampling';

const shape = [2, 3];

export const Neg: GradCase[] = [{ name: 'Neg', build: (b, t) => ({ y: op.Neg(b.input('x', t, shape)) }) }];
export const Sqrt: GradCase[] = [{ name: 'Sqrt', sample: positive(), build: (b, t) => ({ y: op.Sqrt(b.input('x', t, shape)) }) }];
export const Exp: GradCase[] = [{ name: 'Exp', build: (b, t) => ({ y: op.Exp(b.input('x', t, shape)) }) }];
export const Log: GradCase[] = [{ name: 'Log', sample: positive(), build: (b, t) => ({ y: op.Log(b.input('x', t, shape)) }) }];
export const Erf: GradCase[] = [{ name: 'Erf', build: (b, t) => ({ y: op.Erf(b.input('x', t, shape)) }) }];
export const Tanh: GradCase[] = [{ name: 'Tanh', build: (b, t) => ({ y: op.Tanh(b.input('x', t, shape)) }) }];
export const Sigmoid: GradCase[] = [{ name: 'Sigmoid', build: (b, t) => ({ y: op.Sigmoid(b.input('x', t, shape)) }) }];
export const Relu: GradCase[] = [{ name: 'Relu', sample: awayFromZero(0.1), build: (b, t) => ({ y: op.Relu(b.input('x', t, [3, 4])) }) }];
export const Abs: GradCase[] = [{ name: 'Abs', sample: awayFromZero(0.1), build: (b, t) => ({ y: op.Abs(b.input('x', t, shape)) }) }];
export const Reciprocal: GradCase[] = [{ name: 'Reciprocal', sample: positive(), build: (b, t) => ({ y: op.Reciprocal(b.input('x', t, shape)) }) }];
export const Cos: GradCase[] = [{ name: 'Cos', build: (b, t) => ({ y: op.Cos(b.input('x', t, shape)) }) }];
export const Sin: GradCase[] = [{ name: 'Sin', build: (b, t) => ({ y: op.Sin(b.input('x', t, shape)) }) }];
export const Pow: GradCase[] = [
  { name: 'Pow base and exponent', sample: positive(), build: (b, t) => ({ y: op.Pow(b.input('a', t, shape), b.input('e', t, [3])) }) },
  { name: 'Pow constant exponent 2', build: (b, t) => ({ y: op.Pow(b.input('a', t, shape), b.constant([2], t, [])) }) },
];
