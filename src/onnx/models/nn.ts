// Layer primitives shared by the model builders: Linear, Conv2d, LayerNorm, activations, nearest upsampling.
// Linear weights stay in PyTorch layout [out, in] (weights.ts) and the graph computes y = x·Wᵀ + b with an
// in-graph Transpose, which ORT folds for initializers. Pure graph construction; no I/O.
// Reference: torch.nn.Linear / Conv2d / LayerNorm, diffusers activations (SiLU, GELU), CLIP quick_gelu.
import * as op from '../build/opset/index';
import type { Var } from '../build/Var';
import type { ParamTable } from './weights';

/** y = x · Wᵀ + b. x: [..., inF]; W `${prefix}.weight` [outF, inF]; b `${prefix}.bias` [outF] when `hasBias`. */
export function linear(pt: ParamTable, x: Var, prefix: string, inF: number, outF: number, hasBias = true): Var {
  const w = pt.param(`${prefix}.weight`, [outF, inF]);
  const bias = hasBias ? pt.param(`${prefix}.bias`, [outF]) : undefined;
  return linearWith(x, w, bias, prefix);
}

/** y = x · Wᵀ + b for an already-declared W [outF, inF] (a param or a graph input). */
export function linearWith(x: Var, w: Var, bias: Var | undefined, scopeName: string): Var {
  return x.builder.scope(scopeName, () => {
    const y = op.MatMul(x, op.Transpose(w, [1, 0]));
    return bias ? op.Add(y, bias) : y;
  });
}

export type Conv2dSpec = { kernel: number; stride?: number; /** [top, left, bottom, right]; default k//2 all round */ pads?: number[] };

/** 2-D convolution with bias. x: [N, cin, H, W]; W `${prefix}.weight` [cout, cin, k, k]; b `${prefix}.bias` [cout]. */
export function conv2d(pt: ParamTable, x: Var, prefix: string, cin: number, cout: number, spec: Conv2dSpec): Var {
  const k = spec.kernel;
  const w = pt.param(`${prefix}.weight`, [cout, cin, k, k]);
  const bias = pt.param(`${prefix}.bias`, [cout]);
  const p = Math.floor(k / 2);
  const s = spec.stride ?? 1;
  return x.builder.scope(prefix, () => op.Conv(x, w, bias, { strides: [s, s], pads: spec.pads ?? [p, p, p, p] }));
}

/** LayerNorm over the last axis: y = γ · (x − μ) / √(σ² + ε) + β; params `${prefix}.weight|bias` [dim]. */
export function layerNorm(pt: ParamTable, x: Var, prefix: string, dim: number, eps: number): Var {
  const gamma = pt.param(`${prefix}.weight`, [dim]);
  const beta = pt.param(`${prefix}.bias`, [dim]);
  return x.builder.scope(prefix, () => op.LayerNormalization(x, gamma, beta, { axis: -1, epsilon: eps }));
}

/** σ(x) = 1 / (1 + e^{−x}). */
export function sigmoid(x: Var): Var {
  return op.Sigmoid(x);
}

/** SiLU(x) = x · σ(x). */
export function silu(x: Var): Var {
  return op.Mul(x, sigmoid(x));
}

/** Exact GELU(x) = ½ · x · (1 + erf(x / √2)) (torch default, diffusers GELU/GEGLU). */
export function gelu(x: Var): Var {
  const b = x.builder;
  const e = op.Erf(op.Mul(x, b.scalar(Math.SQRT1_2)));
  return op.Mul(op.Mul(x, b.scalar(0.5)), op.Add(e, b.scalar(1)));
}

/** CLIP quick_gelu(x) = x · σ(1.702 · x). */
export function quickGelu(x: Var): Var {
  return op.Mul(x, sigmoid(op.Mul(x, x.builder.scalar(1.702))));
}

/**
 * Nearest-neighbour 2× upsampling of [N, C, H, W] (torch interpolate "nearest"), as Reshape → Expand → Reshape:
 * same values as Resize(nearest, asymmetric, floor), chosen because Expand's gradient is a plain ReduceSum.
 */
export function upsampleNearest2x(x: Var): Var {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const six = op.Reshape(x, [n, c, h, 1, w, 1]);
  return op.Reshape(op.Expand(six, [n, c, h, 2, w, 2]), [n, c, 2 * h, 2 * w]);
}
