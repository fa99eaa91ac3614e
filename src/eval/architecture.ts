// The evaluator's per-object classifier: a small CNN on one object crop (32×32, RGB + the proposal's mask, see
// crops.ts) → 4 convs 24/32/48/64 (the last three stride 2) → global average pool ⧺ global max pool = the
// 128-d embedding → MLP → three softmax heads: shape, colour, pattern. Count comes from the proposals.
// Graph building only (pure): no I/O, no runtime. Reference: the world evaluator ("the world's analogue of CLIP").
import { ModelAssetError } from '../lib/errors';
import type { Rng } from '../lib/random';
import { op } from '../onnx/index';
import type { GraphBuilder, Var } from '../onnx/index';
import { COLORS, PATTERNS, SHAPES } from '../world/index';

/** Crop side in pixels and its channels (R, G, B, mask); crops are fed as [B, 4, 32, 32] float32. */
export const CROP_SIZE = 32;
export const CROP_CHANNELS = 4;
/** Logit layout of the heads' output [B, 19]: shape 0..5, colour 6..13, pattern 14..18 (one softmax each). */
export const HEADS = {
  shape: { offset: 0, size: SHAPES.length },
  color: { offset: SHAPES.length, size: COLORS.length },
  pattern: { offset: SHAPES.length + COLORS.length, size: PATTERNS.length },
} as const;
export type HeadName = keyof typeof HEADS;
export const HEAD_NAMES: readonly HeadName[] = ['shape', 'color', 'pattern'];
export const TOTAL_LOGITS = SHAPES.length + COLORS.length + PATTERNS.length;

const CONV_CHANNELS = [24, 32, 48, 64] as const;
const CONV_STRIDES = [1, 2, 2, 2] as const;
const HIDDEN = 96;
/** mean-pooled and max-pooled channels of the last conv */
export const EMBED_DIM = 2 * (CONV_CHANNELS[CONV_CHANNELS.length - 1] as number);

/** One trainable tensor of the network. */
export type ParamShape = { name: string; shape: number[]; fanIn: number };

/** Every parameter of the network, in a fixed order (the order of the weight file). */
export function paramShapes(): ParamShape[] {
  const out: ParamShape[] = [];
  let cin: number = CROP_CHANNELS;
  CONV_CHANNELS.forEach((c, i) => {
    out.push({ name: `conv${i + 1}.weight`, shape: [c, cin, 3, 3], fanIn: cin * 9 });
    out.push({ name: `conv${i + 1}.bias`, shape: [c], fanIn: 0 });
    cin = c;
  });
  out.push({ name: 'fc.weight', shape: [EMBED_DIM, HIDDEN], fanIn: EMBED_DIM }, { name: 'fc.bias', shape: [HIDDEN], fanIn: 0 });
  out.push({ name: 'heads.weight', shape: [HIDDEN, TOTAL_LOGITS], fanIn: HIDDEN }, { name: 'heads.bias', shape: [TOTAL_LOGITS], fanIn: 0 });
  return out;
}

/** name → float32 values, He-normal weights (std √(2/fanIn)) and zero biases, drawn from `rng` in paramShapes order. */
export function initParams(rng: Rng): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const p of paramShapes()) {
    const n = p.shape.reduce((a, s) => a * s, 1);
    out[p.name] = p.fanIn ? rng.normalArray(n, Math.sqrt(2 / p.fanIn)) : new Float32Array(n);
  }
  return out;
}

/** Adds every parameter to `b` as an initializer holding `values[name]`; returns name → Var. */
export function addParams(b: GraphBuilder, values: Record<string, Float32Array>): Record<string, Var> {
  const vars: Record<string, Var> = {};
  for (const p of paramShapes()) {
    const data = values[p.name];
    if (!data) throw new ModelAssetError(`evaluator parameter "${p.name}" is missing from the weights; expected ${paramShapes().map((q) => q.name).join(', ')}`);
    vars[p.name] = b.param(p.name, 'float32', p.shape, data);
  }
  return vars;
}

/**
 * Forward pass. x [B, 4, 32, 32] → { embedding [B, 128], logits [B, 19] }.
 * conv k3 p1 + Relu four times (32 → 32 → 16 → 8 → 4), [mean ⧺ max over H, W], Relu(fc), linear heads.
 */
export function forward(x: Var, p: Record<string, Var>): { embedding: Var; logits: Var } {
  let h = x;
  CONV_CHANNELS.forEach((_, i) => {
    const w = p[`conv${i + 1}.weight`] as Var;
    const s = CONV_STRIDES[i] as number;
    h = op.Relu(op.Conv(h, w, p[`conv${i + 1}.bias`], { strides: [s, s], pads: [1, 1, 1, 1] }));
  });
  const embedding = op.Concat([op.ReduceMean(h, [2, 3], false), op.ReduceMax(h, [2, 3], false)], 1);
  const hidden = op.Relu(op.Add(op.MatMul(embedding, p['fc.weight'] as Var), p['fc.bias'] as Var));
  const logits = op.Add(op.MatMul(hidden, p['heads.weight'] as Var), p['heads.bias'] as Var);
  return { embedding, logits };
}
