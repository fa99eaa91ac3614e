// Soft IoU of two soft maps with smoothing s (DisenDiff `calculate_IoU`, docs/disendiff.md §2.7):
//   IoU(a, b) = (Σ a·b + s) / (Σ a + Σ b − Σ a·b + s),  s = 1 in the released code.
// CPU reference (float64) and the graph builder (reduces the last axis). Pure; runs nothing.
import { op } from '../../onnx/index';
import type { Var } from '../../onnx/index';

/** softIoU(a, b) over all elements (CPU reference). */
export function softIou(a: ArrayLike<number>, b: ArrayLike<number>, smooth: number): number {
  let inter = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    inter += x * y;
    sa += x;
    sb += y;
  }
  return (inter + smooth) / (sa + sb - inter + smooth);
}

/** softIoU over the last axis: a, b [..., N] (same shape) → [...]. */
export function softIouGraph(a: Var, b: Var, smooth: number): Var {
  const axis = a.shape.length - 1;
  const s = a.builder.scalar(smooth);
  const inter = op.ReduceSum(op.Mul(a, b), [axis], false);
  const union = op.Sub(op.Add(op.ReduceSum(a, [axis], false), op.ReduceSum(b, [axis], false)), inter);
  return op.Div(op.Add(inter, s), op.Add(union, s));
}
