// Gradient rule for elementwise Min: same as Max (dy to the inputs equal to the output, ties split evenly).
import type { GradRule } from '../rule';
import { selectGrad } from './Max';

export const rule: GradRule = { opType: 'Min', differentiable: [0, 1, 2, 3, 4, 5, 6, 7], grad: selectGrad };
