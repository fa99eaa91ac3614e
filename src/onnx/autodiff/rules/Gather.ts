// Gradient rule for Gather (embedding lookup included): scatter-add of dy into data's shape, written as a
// one-hot MatMul so the WebGPU EP runs it in float32: onehot[k, v] = (idx_k == v) (indices cast to int32,
// negatives wrapped), dData[pre, v, post] = Σ_k onehot[k, v] · dy[pre, k, post]. Indices have no gradient.
// Memory: onehot is [#indices, data.shape[axis]] floats (77 × 49408 ≈ 15 MB for a CLIP prompt).
import { Add } from '../../build/opset/Add';
import { Cast } from '../../build/opset/Cast';
import { Equal } from '../../build/opset/Equal';
import { Less } from '../../build/opset/Less';
import { MatMul } from '../../build/opset/MatMul';
import { Reshape } from '../../build/opset/Reshape';
import { Transpose } from '../../build/opset/Transpose';
import { Unsqueeze } from '../../build/opset/Unsqueeze';
import { Where } from '../../build/opset/Where';
import { numElements } from '../../ir/dtype';
import { scalarLike } from '../helpers';
import type { GradRule } from '../rule';

export const rule: GradRule = {
  opType: 'Gather',
  differentiable: [0],
  grad(ctx) {
    const data = ctx.x(0);
    const b = ctx.b;
    const axis = ctx.int('axis', 0) < 0 ? ctx.int('axis', 0) + data.rank : ctx.int('axis', 0);
    const dim = data.shape[axis] as number;
    const pre = numElements(data.shape.slice(0, axis));
    const post = numElements(data.shape.slice(axis + 1));
    const nIdx = numElements(ctx.x(1).shape);
    const idx = Reshape(ctx.x(1).dtype === 'int32' ? ctx.x(1) : Cast(ctx.x(1), 'int32'), [nIdx]);
    const wrapped = Where(Less(idx, scalarLike(idx, 0)), Add(idx, scalarLike(idx, dim)), idx);
    const range = b.constant(Int32Array.from({ length: dim }, (_, v) => v), 'int32', [1, dim]);
    const hit = Equal(Unsqueeze(wrapped, [1]), range);
    const onehot = Where(hit, scalarLike(data, 1), scalarLike(data, 0)); // [nIdx, dim]
    const dy3 = Reshape(ctx.dy(), [pre, nIdx, post]);
    const d3 = MatMul(Transpose(onehot, [1, 0]), dy3); // [pre, dim, post]
    return [Reshape(d3, data.shape), undefined];
  },
};
