// The gradient-rule table: op type → GradRule. One rule per file named exactly after the op (rules/<OpType>.ts,
// exporting `rule`), listed here once (docs/house-style.md §8.3 "registries are data").
//
// Rule contract (rule.ts): `differentiable` lists the input indices that can carry a gradient; `grad(ctx)`
// returns one entry per forward input index (undefined = no gradient) and may return a broadcast-shaped
// gradient (the walker un-broadcasts, sums fan-out, prunes and handles stop-gradient). We chose the eager
// array form over the lazy record of house-style §11: laziness is replaced by `ctx.needs(i)`.
// To add a rule: write rules/<OpType>.ts, add one import and one table entry below, add a gradcheck case
// (test/onnx/autodiff/cases/) and run `npm run gradcheck`.
import type { GradRule } from '../rule';
import { rule as Abs } from './Abs';
import { rule as Add } from './Add';
import { rule as Cast } from './Cast';
import { rule as Clip } from './Clip';
import { rule as Concat } from './Concat';
import { rule as Conv } from './Conv';
import { rule as ConvTranspose } from './ConvTranspose';
import { rule as Cos } from './Cos';
import { rule as CumSum } from './CumSum';
import { rule as Div } from './Div';
import { rule as Einsum } from './Einsum';
import { rule as Erf } from './Erf';
import { rule as Exp } from './Exp';
import { rule as Expand } from './Expand';
import { rule as Flatten } from './Flatten';
import { rule as Gather } from './Gather';
import { rule as GatherElements } from './GatherElements';
import { rule as Gemm } from './Gemm';
import { rule as Identity } from './Identity';
import { rule as InstanceNormalization } from './InstanceNormalization';
import { rule as LayerNormalization } from './LayerNormalization';
import { rule as Log } from './Log';
import { rule as MatMul } from './MatMul';
import { rule as Max } from './Max';
import { rule as Min } from './Min';
import { rule as Mul } from './Mul';
import { rule as Neg } from './Neg';
import { rule as Pad } from './Pad';
import { rule as Pow } from './Pow';
import { rule as Reciprocal } from './Reciprocal';
import { rule as ReduceMax } from './ReduceMax';
import { rule as ReduceMean } from './ReduceMean';
import { rule as ReduceMin } from './ReduceMin';
import { rule as ReduceSum } from './ReduceSum';
import { rule as ReduceSumSquare } from './ReduceSumSquare';
import { rule as Relu } from './Relu';
import { rule as Reshape } from './Reshape';
import { rule as Resize } from './Resize';
import { rule as Sigmoid } from './Sigmoid';
import { rule as Sin } from './Sin';
import { rule as Slice } from './Slice';
import { rule as Softmax } from './Softmax';
import { rule as Split } from './Split';
import { rule as Sqrt } from './Sqrt';
import { rule as Squeeze } from './Squeeze';
import { rule as Sub } from './Sub';
import { rule as Tanh } from './Tanh';
import { rule as Tile } from './Tile';
import { rule as Transpose } from './Transpose';
import { rule as Unsqueeze } from './Unsqueeze';
import { rule as Where } from './Where';
import { NON_DIFFERENTIABLE } from './nonDifferentiable';

const RULES: GradRule[] = [
  Abs, Add, Cast, Clip, Concat, Conv, ConvTranspose, Cos, CumSum, Div, Einsum, Erf, Exp, Expand, Flatten,
  Gather, GatherElements, Gemm, Identity, InstanceNormalization, LayerNormalization, Log, MatMul, Max, Min, Mul,
  Neg, Pad, Pow, Reciprocal, ReduceMax, ReduceMean, ReduceMin, ReduceSum, ReduceSumSquare, Relu, Reshape,
  Resize, Sigmoid, Sin, Slice, Softmax, Split, Sqrt, Squeeze, Sub, Tanh, Tile, Transpose, Unsqueeze, Where,
  ...NON_DIFFERENTIABLE,
];

/** op type → gradient rule (ai.onnx domain) */
export const GRAD_RULES: ReadonlyMap<string, GradRule> = new Map(RULES.map((r) => [r.opType, r]));

/** Every op type the walker can differentiate or knows to be non-differentiable, sorted. */
export function gradientOpTypes(): string[] {
  return [...GRAD_RULES.keys()].sort();
}
