// Tiny differentiable models for the training-engine tests: graphs built with the toolkit and differentiated
// with buildGradientGraph, plus seeded data. Test-only; all randomness through src/lib/random.ts.
import { buildGradientGraph, GraphBuilder, op } from '../../../src/onnx/index';
import type { BackwardResult } from '../../../src/onnx/index';
import { Rng } from '../../../src/lib/random';
import type { HostTensor } from '../../../src/runtime/types';

/** Float32 host tensor from a Float32Array. */
export function tensor(dims: number[], data: Float32Array): HostTensor {
  return { dtype: 'float32', dims, data };
}

/** Mean squared error Σ(pred − y)² / n as a scalar. */
export function mse(b: GraphBuilder, pred: ReturnType<GraphBuilder['input']>, y: ReturnType<GraphBuilder['input']>, n: number) {
  const d = op.Sub(pred, y);
  return op.Mul(op.ReduceSum(op.Mul(d, d), undefined, false), b.scalar(1 / n));
}

/** Linear regression pred = x·W + c over a batch of `batch` rows: W [3, 1] and c [1] are initializers. */
export function linearModel(batch: number): BackwardResult {
  const b = new GraphBuilder('linear');
  const x = b.input('x', 'float32', [batch, 3]);
  const y = b.input('y', 'float32', [batch, 1]);
  const w = b.param('W', 'float32', [3, 1], Float32Array.of(0.1, -0.2, 0.3));
  const c = b.param('c', 'float32', [1], Float32Array.of(0));
  b.output(mse(b, op.Add(op.MatMul(x, w), c), y, batch), 'loss');
  return buildGradientGraph(b.graph, { loss: 'loss', wrt: ['W', 'c'] });
}

/** Data for linearModel: y = x·[1, −2, 0.5] + 0.3, rows from a seeded normal. */
export function linearData(rng: Rng, batch: number): { x: HostTensor; y: HostTensor } {
  const x = rng.normalArray(batch * 3);
  const y = new Float32Array(batch);
  for (let r = 0; r < batch; r++) y[r] = (x[r * 3] as number) - 2 * (x[r * 3 + 1] as number) + 0.5 * (x[r * 3 + 2] as number) + 0.3;
  return { x: tensor([batch, 3], x), y: tensor([batch, 1], y) };
}

/** Rows [from, to) of a row-major [B, C] tensor. */
export function rows(t: HostTensor, from: number, to: number): HostTensor {
  const c = t.dims[1] as number;
  return tensor([to - from, c], (t.data as Float32Array).slice(from * c, to * c));
}
