// Gradient rule for ReduceMin (opset 17: axes attribute): dy to the arg-min positions, ties split evenly
// (same maths as ReduceMax, see extremumGrad). Used by min-max normalisation of attention maps.
import type { GradRule } from '../rule';
import { extremumGrad } from './ReduceMax';

export const rule: GradRule = { opType: 'ReduceMin', differentiable: [0], grad: (ctx) => [extremumGrad(ctx)] };
