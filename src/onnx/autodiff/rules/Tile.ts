// Gradient rule for Tile: y = tile(x, r) ⇒ dx = Σ over the copies: Reshape dy [r0·d0, …] → [r0, d0, r1, d1, …]
// and ReduceSum over the repeat axes (0, 2, 4, …).
import { ReduceSum } from '../../build/opset/ReduceSum';
import { Reshape } from '../../build/opset/Reshape';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Tile',
  differentiable: [0],
  grad(ctx) {
    const x = ctx.x(0);
    const repeats = ctx.constInts(1) ?? [];
    const split = x.shape.flatMap((d, i) => [repeats[i] as number, d]);
    const axes = x.shape.map((_, i) => 2 * i);
    return [ReduceSum(Reshape(ctx.dy(), split), axes, false), undefined];
  },
};
