// The evaluator network: a small CNN (64×64×3 → 4 stride-2 convs 16/32/64/96 → one stride-1 conv 96 at 4×4 →
// global average pool ⧺ global max pool = the 192-d embedding) with an MLP trunk and linear heads for shape,
// colour and pattern presence and the object count.
// Graph building only (pure): no I/O, no runtime. Reference: issue 5 item 2 ("the world's analogue of CLIP").
import { ModelAssetError } from '../lib/errors';
import type { Rng } from '../lib/random';
import { op } from '../onnx/index';
import type { GraphBuilder, Var } from '../onnx/index';
import { COLORS, PATTERNS, SHAPES } from '../world/index';

/** Input side in pixels; images are fed as [B, 3, 64, 64] float32 (see labels.ts toInput). */
export const EVAL_SIZE = 64;
/** Count classes: 1, 2 or 3 objects (index = count − 1). */
export const COUNT_CLASSES = 3;
/** Logit layout of the heads' output [B, 22]: shape 0..5, colour 6..13, pattern 14..18, count 19..21. */
export const HEADS = {
  shape: { offset: 0, size: SHAPES.length },
  color: { offset: SHAPES.length, size: COLORS.length },
  pattern: { offset: SHAPES.length + COLORS.length, size: PATTERNS.length },
  count: { offset: SHAPES.length + COLORS.length + PATTERNS.length, size: COUNT_CLASSES },
} as const;
/** Presence logits (sigmoid) come first, then the count logits (softmax). */
export const PRESENCE_LOGITS = HEADS.count.offset;
export const TOTAL_LOGITS = HEADS.count.offset + COUNT_CLASSES;

const CONV_CHANNELS = [16, 32, 64, 96, 96] as const;
/** stride of each conv (the last one widens the receptive field to the whole 64×64 image) */
const CONV_STRIDES = [2, 2, 2, 2, 1] as const;
const HIDDEN = 128;
/** mean-pooled and max-pooled channels of the last conv */
export const EMBED_DIM = 2 * (CONV_CHANNELS[CONV_CHANNELS.length - 1] as number);

/** One trainable tensor of the network. */
export type ParamShape = { name: string; shape: number[]; fanIn: number };

/** Every parameter of the network, in a fixed order (the order of the weight file). */
export function paramShapes(): ParamShape[] {
  const out: ParamShape[] = [];
  let cin = 3;
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
 * Forward pass. x [B, 3, 64, 64] → { embedding [B, 192], logits [B, 22] }.
 * conv k3 p1 + Relu five times (64 → 32 → 16 → 8 → 4 → 4), [mean ⧺ max over H, W], Relu(fc), linear heads.
 * Max pooling lets a presence head fire on one small object; the mean keeps area (count) information.
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
