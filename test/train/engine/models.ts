// Tiny differentiable models for the training-engine tests: graphs built with the toolkit and differentiated
// with buildGradientGraph, plus seeded data. Test-only; all randomness through src/lib/random.ts.
import { buildGradientGraph, encodeModel, GraphBuilder, op } from '../../../src/onnx/index';
import type { BackwardResult } from '../../../src/onnx/index';
import { Rng } from '../../../src/lib/random';
import type { HostTensor, Runner } from '../../../src/runtime/types';

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

type V = ReturnType<GraphBuilder['input']>;

function dense(b: GraphBuilder, rng: Rng, name: string, x: V, out: number): V {
  const cin = x.shape[1] as number;
  const w = b.param(`${name}.weight`, 'float32', [cin, out], rng.normalArray(cin * out, Math.sqrt(1 / cin)));
  const bias = b.param(`${name}.bias`, 'float32', [out], new Float32Array(out));
  return op.Add(op.MatMul(x, w), bias);
}

/** MLP 2 → 32 → 32 → 1 (tanh) regressing y = sin(2·x0)·x1 on `n` fixed points; trainables are initializers. */
export function mlpModel(n: number, seed: number): { backward: BackwardResult; feeds: Record<string, HostTensor> } {
  const rng = new Rng(seed);
  const b = new GraphBuilder('mlp');
  const x = b.input('x', 'float32', [n, 2]);
  const y = b.input('y', 'float32', [n, 1]);
  const h1 = op.Tanh(dense(b, rng, 'fc1', x, 32));
  const h2 = op.Tanh(dense(b, rng, 'fc2', h1, 32));
  b.output(mse(b, dense(b, rng, 'fc3', h2, 1), y, n), 'loss');
  const params = b.graph.initializers.filter((t) => t.name.startsWith('fc')).map((t) => t.name);
  const xs = Float32Array.from({ length: 2 * n }, () => rng.uniform() * 4 - 2);
  const ys = Float32Array.from({ length: n }, (_, i) => Math.sin(2 * (xs[2 * i] as number)) * (xs[2 * i + 1] as number));
  return { backward: buildGradientGraph(b.graph, { loss: 'loss', wrt: params }), feeds: { x: tensor([n, 2], xs), y: tensor([n, 1], ys) } };
}

/** conv 3×3 → tanh → single-head self-attention over the H·W tokens (residual) → conv 3×3, weights from `rng`. */
function convAttention(b: GraphBuilder, rng: Rng, x: V, prefix: string, ch: number): V {
  const [bs, cin, h, w] = x.shape as [number, number, number, number];
  const param = (name: string, shape: number[], std: number) => b.param(`${prefix}${name}`, 'float32', shape, rng.normalArray(shape.reduce((a, s) => a * s, 1), std));
  const c1 = op.Tanh(op.Conv(x, param('conv1.weight', [ch, cin, 3, 3], Math.sqrt(1 / (9 * cin))), param('conv1.bias', [ch], 0.1), { pads: [1, 1, 1, 1] }));
  const tokens = op.Transpose(op.Reshape(c1, [bs, ch, h * w]), [0, 2, 1]); // [B, T, C]
  const [q, k, v] = ['to_q', 'to_k', 'to_v'].map((n) => op.MatMul(tokens, param(`attn.${n}`, [ch, ch], Math.sqrt(1 / ch)))) as [V, V, V];
  const attn = op.MatMul(op.Softmax(op.Mul(op.MatMul(q, op.Transpose(k, [0, 2, 1])), b.scalar(1 / Math.sqrt(ch))), -1), v);
  const mixed = op.Add(c1, op.Reshape(op.Transpose(attn, [0, 2, 1]), [bs, ch, h, w]));
  return op.Conv(mixed, param('conv2.weight', [cin, ch, 3, 3], Math.sqrt(1 / (9 * ch))), param('conv2.bias', [cin], 0.1), { pads: [1, 1, 1, 1] });
}

/**
 * Teacher–student task on [4, 2, 6, 6] inputs: the target is a fixed teacher of the same architecture (seed
 * `seed + 1`, run once on `runner`), so the student (seed `seed`) can reach zero loss. Trainables: the
 * student's initializers.
 */
export async function convAttentionModel(seed: number, runner: Runner): Promise<{ backward: BackwardResult; feeds: Record<string, HostTensor> }> {
  const shape = [4, 2, 6, 6];
  const x = tensor(shape, new Rng(seed + 2).normalArray(4 * 2 * 6 * 6));
  const teacher = new GraphBuilder('teacher');
  teacher.output(convAttention(teacher, new Rng(seed + 1), teacher.input('x', 'float32', shape), '', 8), 'y');
  const session = await runner.createSession('teacher', encodeModel(teacher.toModel()));
  const y = ((await session.run({ x })) as Record<string, HostTensor>).y as HostTensor;
  await session.dispose();
  const b = new GraphBuilder('conv_attention');
  const loss = mse(b, convAttention(b, new Rng(seed), b.input('x', 'float32', shape), 'student.', 8), b.input('y', 'float32', shape), 4 * 2 * 6 * 6);
  b.output(loss, 'loss');
  const params = b.graph.initializers.filter((t) => t.name.startsWith('student.')).map((t) => t.name);
  return { backward: buildGradientGraph(b.graph, { loss: 'loss', wrt: params }), feeds: { x, y } };
}
