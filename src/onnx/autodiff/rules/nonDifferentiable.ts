// Op types whose outputs carry no gradient to any input: shape/index/logic ops and piecewise-constant
// float ops (derivative 0 almost everywhere). Listing them lets the walker stop there instead of reporting a
// missing rule. Non-float outputs are cut by dtype anyway (plan.ts); the list makes the intent explicit.
import type { GradRule } from '../rule';

const OP_TYPES = [
  'Shape', 'Size', 'ConstantOfShape', 'Range', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual',
  'Not', 'And', 'Or', 'Xor', 'ArgMax', 'ArgMin', 'NonZero', 'Floor', 'Ceil', 'Round', 'Sign', 'IsNaN', 'IsInf',
  'RandomNormalLike', 'RandomUniformLike', 'EyeLike',
];

export const NON_DIFFERENTIABLE: GradRule[] = OP_TYPES.map((opType) => ({
  opType,
  differentiable: 'none',
  grad: () => [],
}));
