// Un-broadcasting: reduces a gradient that has a broadcast (output) shape back to an input's shape.
// Pure graph construction. Reference: ONNX Broadcasting.md; the rule is d(broadcast x)ᵀ = sum over the
// broadcast axes (leading axes the input lacks, and axes where the input has size 1), then Reshape.
import { GraphError } from '../../lib/errors';
import { ReduceSum } from '../build/opset/ReduceSum';
import { Reshape } from '../build/opset/Reshape';
import { sameShape } from '../build/shapes';
import type { Var } from '../build/Var';

/** Axes of `from` that numpy broadcasting created from `to` (sorted). Throws when `to` does not broadcast to `from`. */
export function broadcastAxes(from: readonly number[], to: readonly number[]): number[] {
  const lead = from.length - to.length;
  if (lead < 0) throw new GraphError(`unbroadcast: gradient shape [${from.join(',')}] has lower rank than target [${to.join(',')}]`);
  const axes: number[] = [];
  for (let i = 0; i < from.length; i++) {
    const f = from[i] as number;
    const t = i < lead ? undefined : (to[i - lead] as number);
    if (t === undefined || (t === 1 && f !== 1)) axes.push(i);
    else if (t !== f) throw new GraphError(`unbroadcast: target [${to.join(',')}] does not broadcast to [${from.join(',')}] (axis ${i})`);
  }
  return axes;
}

/**
 * Sums `g` ([...broadcast shape]) down to `shape`: ReduceSum over the broadcast axes, then Reshape.
 * Returns `g` itself when the shapes already agree.
 */
export function unbroadcast(g: Var, shape: readonly number[]): Var {
  if (sameShape(g.shape, shape)) return g;
  const axes = broadcastAxes(g.shape, shape);
  const summed = axes.length ? ReduceSum(g, axes, true, 'unbroadcast/ReduceSum') : g;
  return sameShape(summed.shape, shape) ? summed : Reshape(summed, shape, 'unbroadcast/Reshape');
}
