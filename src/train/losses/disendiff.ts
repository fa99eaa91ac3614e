// DisenDiff's attention-calibration losses (docs/disendiff.md §2.7), CPU reference and graph builder:
//   L_bind,i = 1 − IoU(sg[C_i], M_i)   (paper Eq. 3; class map detached, `mask1.detach()`)
//   L_s&s    = mean_{i<j} IoU(C_i, C_j) (paper Eq. 5; no detach; 3 concepts → ÷3 as `new3_subject`)
//   L_cal    = (1/count) Σ_b [Σ_i p_bi·L_bind,bi + L_s&s,b]   (count = samples with ≥ 1 concept in the prompt)
// Extension for union sampling (docs/disendiff.md §10): p_bi ∈ {0,1} says whether concept i is in sample b's prompt;
// s&s averages over the pairs present in that prompt. With every p = 1 this is exactly the released code.
import { GraphError } from '../../lib/errors';
import { op, stopGradient } from '../../onnx/index';
import type { Var } from '../../onnx/index';
import { softIou, softIouGraph } from './softIou';

/** Maps of one batch: [B][n][N] processed modifier maps M and class maps C (already squared), presence [B][n]. */
export type CalibrationMaps = { modifier: number[][][]; cls: number[][][]; present: number[][] };

/** Per-term values (unweighted) and the number of samples that contributed. */
export type CalibrationLosses = { bind: number; separate: number; count: number };

/** Pairs i < j of n concepts, in (0,1), (0,2), …, (1,2) … order. */
export function conceptPairs(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
  return out;
}

/** CPU reference of Σ L_bind and L_s&s, each divided by count (see header). */
export function calibrationLosses(x: CalibrationMaps, smooth: number): CalibrationLosses {
  let bind = 0;
  let separate = 0;
  let count = 0;
  x.present.forEach((p, b) => {
    if (!p.some((v) => v > 0)) return;
    count++;
    const m = x.modifier[b] as number[][];
    const c = x.cls[b] as number[][];
    p.forEach((pi, i) => (bind += pi * (1 - softIou(c[i] as number[], m[i] as number[], smooth))));
    let pairSum = 0;
    let pairWeight = 0;
    for (const [i, j] of conceptPairs(p.length)) {
      const w = (p[i] as number) * (p[j] as number);
      pairSum += w * softIou(c[i] as number[], c[j] as number[], smooth);
      pairWeight += w;
    }
    separate += pairSum / Math.max(pairWeight, 1);
  });
  const denom = Math.max(count, 1);
  return { bind: bind / denom, separate: separate / denom, count };
}

/** Graph terms (scalars, unweighted, divided by count); a term is undefined when switched off. */
export type CalibrationGraph = { bind?: Var; separate?: Var };

/** count = max(Σ_b max_i p_bi, 1) as a scalar. */
function sampleCount(present: Var): Var {
  return op.Max(op.ReduceSum(op.ReduceMax(present, [1], false), [0], false), present.builder.scalar(1));
}

/** Mean pairwise IoU(C_i, C_j) per sample over the pairs present, summed over samples → scalar. */
function separateSum(cls: Var, present: Var, smooth: number): Var {
  const b = cls.builder;
  const pairs = conceptPairs(cls.shape[1] as number);
  const is = b.constant(Int32Array.from(pairs.map((q) => q[0])), 'int32', [pairs.length]);
  const js = b.constant(Int32Array.from(pairs.map((q) => q[1])), 'int32', [pairs.length]);
  const iou = softIouGraph(op.Gather(cls, is, 1), op.Gather(cls, js, 1), smooth);
  const w = op.Mul(op.Gather(present, is, 1), op.Gather(present, js, 1));
  const perSample = op.Div(op.ReduceSum(op.Mul(w, iou), [1], false), op.Max(op.ReduceSum(w, [1], false), b.scalar(1)));
  return op.ReduceSum(perSample, [0], false);
}

/**
 * L_bind and L_s&s inside the graph.
 * @param modifier processed modifier maps M [B, n, N]
 * @param cls processed (squared) class maps C [B, n, N]
 * @param present float32 [B, n], 1 where concept i is in sample b's prompt
 * @throws GraphError on mismatched shapes
 */
export function calibrationGraph(modifier: Var, cls: Var, present: Var, o: { bind: boolean; separate: boolean; smooth: number }): CalibrationGraph {
  const [bsz, n] = modifier.shape as [number, number, number];
  if (modifier.shape.join() !== cls.shape.join() || present.shape.join() !== `${bsz},${n}`) {
    throw new GraphError(`calibrationGraph: modifier [${modifier.shape}], class [${cls.shape}] and present [${present.shape}] must be [B, n, N], [B, n, N], [B, n]`);
  }
  const b = modifier.builder;
  const count = sampleCount(present);
  const out: CalibrationGraph = {};
  if (o.bind) {
    const iou = softIouGraph(stopGradient(cls, 'DetachClassMap'), modifier, o.smooth);
    const sum = op.ReduceSum(op.Mul(present, op.Sub(b.scalar(1), iou)), undefined, false);
    out.bind = op.Div(sum, count);
  }
  if (o.separate && n >= 2) out.separate = op.Div(separateSum(cls, present, o.smooth), count);
  return out;
}
