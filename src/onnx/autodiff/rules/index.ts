// The gradient-rule table: op type → GradRule. One rule per file named exactly after the op (rules/<OpType>.ts,
// exporting `rule`), listed here once (house-style.md §8.3 "registries are data").
//
// Rule contract (rule.ts): `differentiable` lists the input indices that can carry a gradient; `grad(ctx)`
// returns one entry per forward input index (undefined = no gradient) and may return a broadcast-shaped
// gradient (the walker un-broadcasts, sums fan-out, prunes and handles stop-gradient). We chose the eager
// array form over the lazy record of house-style §11: laziness is replaced by `ctx.needs(i)`.
// To add a rule: write rules/<OpType>.ts, add one import and one table entry below, add a gradcheck case
// (test/onnx/autodiff/cases/) and run `npm run gradcheck`.
import type { GradRule } from '../rule';
import { rule as Add } from './Add';
import { rule as Div } from './Div';
import { rule as Identity } from './Identity';
import { rule as MatMul } from './MatMul';
import { rule as Mul } from './Mul';
import { NON_DIFFERENTIABLE } from './nonDifferentiable';
import { rule as ReduceSum } from './ReduceSum';
import { rule as Reshape } from './Reshape';
import { rule as Softmax } from './Softmax';
import { rule as Sub } from './Sub';
import { rule as Transpose } from './Transpose';

const RULES: GradRule[] = [
  Add, Div, Identity, MatMul, Mul, ReduceSum, Reshape, Softmax, Sub, Transpose,
  ...NON_DIFFERENTIABLE,
];

/** op type → gradient rule (ai.onnx domain) */
export const GRAD_RULES: ReadonlyMap<string, GradRule> = new Map(RULES.map((r) => [r.opType, r]));

/** Every op type the walker can differentiate or knows to be non-differentiable, sorted. */
export function gradientOpTypes(): string[] {
  return [...GRAD_RULES.keys()].sort();
}
