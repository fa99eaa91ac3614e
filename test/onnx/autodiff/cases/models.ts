// Whole-model gradient cases built with the toolkit: an MLP, a text-encoder-like block (embedding lookup,
// LayerNorm, causal multi-head self-attention) and a UNet-like block (conv, GroupNorm as InstanceNorm, SiLU,
// strided conv, cross-attention to a context with trainable K/V, 2× nearest upsampling, skip concat).
import { GraphBuilder, op } from '../../../../src/onnx/index';
import type { Var } from '../../../../src/onnx/index';
import type { FloatType, GradCase } from '../../../helpers/finiteDiff';

function gelu(h: Var, t: FloatType): Var {
  const b = h.builder;
  const e = op.Erf(op.Mul(h, b.constant([Math.SQRT1_2], t, [])));
  return op.Mul(op.Mul(h, b.constant([0.5], t, [])), op.Add(e, b.constant([1], t, [])));
}

/** Multi-head attention: q [B, Tq, D], kv [B, Tk, Dc]; weights are graph inputs. */
function attention(b: GraphBuilder, t: FloatType, q0: Var, kv: Var, heads: number, prefix: string, mask?: Var): Var {
  const [bs, tq, d] = q0.shape as [number, number, number];
  const tk = kv.shape[1] as number;
  const dh = d / heads;
  const proj = (x: Var, name: string, din: number) => op.MatMul(x, b.input(`${prefix}.${name}`, t, [din, d]));
  const split = (x: Var, len: number) => op.Transpose(op.Reshape(x, [bs, len, heads, dh]), [0, 2, 1, 3]);
  const q = split(proj(q0, 'to_q', d), tq);
  const k = split(proj(kv, 'to_k', kv.shape[2] as number), tk);
  const v = split(proj(kv, 'to_v', kv.shape[2] as number), tk);
  let scores = op.Mul(op.MatMul(q, op.Transpose(k, [0, 1, 3, 2])), b.constant([1 / Math.sqrt(dh)], t, []));
  if (mask) scores = op.Add(scores, mask);
  const o = op.MatMul(op.Softmax(scores, -1), v);
  return proj(op.Reshape(op.Transpose(o, [0, 2, 1, 3]), [bs, tq, d]), 'to_out', d);
}

const mlp: GradCase = {
  name: 'MLP (MatMul, Add, Gelu-erf, Softmax)',
  probes: 200,
  build: (b, t) => {
    const x = b.input('x', t, [4, 6]);
    const h = gelu(op.Add(op.MatMul(x, b.input('w1', t, [6, 8])), b.input('b1', t, [8])), t);
    return { y: op.Softmax(op.Add(op.MatMul(h, b.input('w2', t, [8, 3])), b.input('b2', t, [3]))) };
  },
};

const textEncoder: GradCase = {
  name: 'text-encoder-like (Gather, LayerNorm, causal MHA, Gelu)',
  build: (b, t) => {
    const ids = b.constant([3, 7, 1, 9, 3], 'int64', [1, 5]);
    const h0 = op.Add(op.Gather(b.input('token_embedding', t, [10, 8]), ids), b.input('position_embedding', t, [5, 8]));
    const causal = Array.from({ length: 25 }, (_, i) => (i % 5 > Math.floor(i / 5) ? -1e4 : 0));
    const ln1 = op.LayerNormalization(h0, b.input('ln1.g', t, [8]), b.input('ln1.b', t, [8]));
    const h1 = op.Add(h0, attention(b, t, ln1, ln1, 2, 'attn', b.constant(causal, t, [5, 5])));
    const ln2 = op.LayerNormalization(h1, b.input('ln2.g', t, [8]), b.input('ln2.b', t, [8]));
    return { y: op.Add(h1, op.MatMul(gelu(op.MatMul(ln2, b.input('fc1', t, [8, 16])), t), b.input('fc2', t, [16, 8]))) };
  },
};

function groupNormSilu(b: GraphBuilder, t: FloatType, x: Var, groups: number, prefix: string): Var {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const ones = b.constant(new Array<number>(groups).fill(1), t, [groups]);
  const zeros = b.constant(new Array<number>(groups).fill(0), t, [groups]);
  const normed = op.Reshape(op.InstanceNormalization(op.Reshape(x, [n, groups, -1]), ones, zeros), [n, c, h, w]);
  const y = op.Add(op.Mul(normed, b.input(`${prefix}.g`, t, [c, 1, 1])), b.input(`${prefix}.b`, t, [c, 1, 1]));
  return op.Mul(y, op.Sigmoid(y));
}

const unet: GradCase = {
  name: 'UNet-like (Conv, GroupNorm, SiLU, stride-2 Conv, cross-attention, Resize, Concat)',
  probes: 12,
  build: (b, t) => {
    const x = b.input('latent', t, [1, 4, 8, 8]);
    const context = b.input('context', t, [1, 3, 6]);
    const h0 = op.Conv(x, b.input('conv_in.w', t, [8, 4, 3, 3]), b.input('conv_in.b', t, [8]), { pads: [1, 1, 1, 1] });
    const h1 = groupNormSilu(b, t, h0, 2, 'norm1');
    const down = op.Conv(h1, b.input('down.w', t, [8, 8, 3, 3]), undefined, { strides: [2, 2], pads: [1, 1, 1, 1] });
    const tokens = op.Transpose(op.Reshape(down, [1, 8, 16]), [0, 2, 1]);
    const attn = op.Add(tokens, attention(b, t, tokens, context, 2, 'attn2'));
    const back = op.Reshape(op.Transpose(attn, [0, 2, 1]), [1, 8, 4, 4]);
    const up = op.Resize(back, { scales: [1, 1, 2, 2], mode: 'nearest', coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' });
    const cat = op.Concat([up, h0], 1);
    return { y: op.Conv(cat, b.input('conv_out.w', t, [4, 16, 3, 3]), undefined, { pads: [1, 1, 1, 1] }) };
  },
};

/** name → whole-model case */
export const MODEL_CASES: GradCase[] = [mlp, textEncoder, unet];
