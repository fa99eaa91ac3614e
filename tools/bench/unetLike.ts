// The small UNet-like net of the train-step benchmark: conv_in → SiLU → stride-2 conv → SiLU → self-attention
// over the 8×8 tokens (residual) → nearest ×2 upsample → concat skip → conv → SiLU → conv_out, MSE loss.
// The same architecture is written in PyTorch in trainStepTorch.py (keep them in sync). Tool code: no app import.
import { GraphBuilder, op } from '../../src/onnx/index';
import type { Graph, Var } from '../../src/onnx/index';
import { Rng } from '../../src/lib/random';

/** Sizes of the benchmark net (also passed to the torch script). */
export type UnetLikeConfig = { batch: number; inCh: number; size: number; ch: number; midCh: number };

export const DEFAULT_CONFIG: UnetLikeConfig = { batch: 4, inCh: 4, size: 16, ch: 32, midCh: 64 };

export type UnetLike = { graph: Graph; loss: string; params: string[]; paramCount: number };

function silu(x: Var): Var {
  return op.Mul(x, op.Sigmoid(x));
}

/** A conv weight + bias initializer pair with He-uniform-like scale from the seeded Rng. */
function conv(b: GraphBuilder, rng: Rng, name: string, x: Var, out: number, k: number, stride = 1): Var {
  const cin = x.shape[1] as number;
  const scale = Math.sqrt(1 / (cin * k * k));
  const w = b.param(`${name}.weight`, 'float32', [out, cin, k, k], rng.normalArray(out * cin * k * k, scale));
  const bias = b.param(`${name}.bias`, 'float32', [out], new Float32Array(out));
  const p = (k - 1) / 2;
  return b.scope(name, () => op.Conv(x, w, bias, { strides: [stride, stride], pads: [p, p, p, p] }));
}

/** Single-head self-attention over the H·W tokens of [B, C, H, W], with a residual connection. */
function attention(b: GraphBuilder, rng: Rng, x: Var): Var {
  const [bs, c, h, w] = x.shape as [number, number, number, number];
  return b.scope('mid.attn', () => {
    const tokens = op.Transpose(op.Reshape(x, [bs, c, h * w]), [0, 2, 1]); // [B, T, C]
    const proj = (n: string) => op.MatMul(tokens, b.param(`mid.attn.${n}`, 'float32', [c, c], rng.normalArray(c * c, Math.sqrt(1 / c))));
    const q = proj('to_q');
    const k = proj('to_k');
    const v = proj('to_v');
    const scores = op.Mul(op.MatMul(q, op.Transpose(k, [0, 2, 1])), b.scalar(1 / Math.sqrt(c))); // [B, T, T]
    const out = op.MatMul(op.Softmax(scores, -1), v); // [B, T, C]
    return op.Add(x, op.Reshape(op.Transpose(out, [0, 2, 1]), [bs, c, h, w]));
  });
}

/** Nearest-neighbour ×2 upsampling as Reshape → Expand → Reshape (differentiable with basic rules). */
function upsample2x(x: Var): Var {
  const [bs, c, h, w] = x.shape as [number, number, number, number];
  const e = op.Expand(op.Reshape(x, [bs, c, h, 1, w, 1]), [bs, c, h, 2, w, 2]);
  return op.Reshape(e, [bs, c, 2 * h, 2 * w]);
}

/** Builds the forward graph with inputs `x`, `target` [B, inCh, S, S] and output `loss` (MSE). */
export function buildUnetLike(cfg: UnetLikeConfig = DEFAULT_CONFIG, seed = 0): UnetLike {
  const rng = new Rng(seed);
  const b = new GraphBuilder('unet_like');
  const shape = [cfg.batch, cfg.inCh, cfg.size, cfg.size];
  const x = b.input('x', 'float32', shape);
  const target = b.input('target', 'float32', shape);
  const h0 = silu(conv(b, rng, 'conv_in', x, cfg.ch, 3));
  const h1 = silu(conv(b, rng, 'down', h0, cfg.midCh, 3, 2));
  const mid = attention(b, rng, h1);
  const up = conv(b, rng, 'up', upsample2x(mid), cfg.ch, 3);
  const h2 = silu(conv(b, rng, 'merge', op.Concat([up, h0], 1), cfg.ch, 3));
  const out = conv(b, rng, 'conv_out', h2, cfg.inCh, 3);
  const d = op.Sub(out, target);
  const n = shape.reduce((a, s) => a * s, 1);
  b.output(op.Mul(op.ReduceSum(op.Mul(d, d), undefined, false), b.scalar(1 / n)), 'loss');
  const params = b.graph.initializers.filter((t) => t.name.endsWith('.weight') || t.name.endsWith('.bias') || t.name.startsWith('mid.attn.to_'));
  return { graph: b.graph, loss: 'loss', params: params.map((t) => t.name), paramCount: params.reduce((a, t) => a + (t.data?.length ?? 0), 0) };
}
