// Gradient rule for Conv (N-d, groups, strides, pads, dilations). Notation: x [N, C, *S], w [M, C/g, *K],
// y [N, M, *O], g groups, s strides, d dilations, pb/pe pads, eff = d·(K−1)+1.
// dx, pads ≤ reach = d·(K−1): a stride-1 Conv(zeroInsert(dy, s), flip(wᵀ), dilation d, pads begin
//   reach − pb, end reach − pe + r − (s−1) (cropped by Slice when negative), r = H + pb + pe − eff − (O−1)·s;
//   wᵀ is the per-group [C, M/g, *K] transpose, flip reverses spatial axes (one Slice, step −1), zeroInsert puts s−1
//   zeros after each dy element (for 1-D/2-D float: MatMul with 0/1 selection matrices E[i, i·s] = 1, since ORT's
//   6-D Pad copied element-wise, 3 ms for 64k values; else Reshape/Pad/Reshape). Chosen over ConvTranspose: the WebGPU EP's
//   ConvTranspose has been slow (docs/platform.md, onnxruntime #22031/#23273) and is wrong for group > 1 with
//   M/g = 1 (test/onnx/autodiff/webgpu.test.ts). Not measured on a real GPU yet. Pads > reach (e.g. a padded
//   1×1 conv): ConvTranspose(dy, w, same s/p/d/g, output_padding r).
// dw (default, kernels of ≤ IM2COL_MAX_TAPS taps): per tap k, (I1) cols_k[c, (n, o)] = xpad[n, c, o·s + k·d] (one
//   strided Slice of the padded, batch/channel-swapped x), (I2) dw[m, c, k] = Σ_{n, o} dy[n, m, o]·cols_k[c, (n, o)]
//   (one MatMul per tap and group; 1.4 vs 2.9 ms for the swapped Conv, and 2.0 for Slice+Concat im2col with a
//   batched MatMul, on x [4, 64, 16, 16], 3×3). Larger kernels (or convGradOptions.weightGrad =
//   'conv'): a Conv with batch and channels swapped: x → [C/g, g·N, *S], dy → [M, N, *O] (weights), stride d,
//   dilation s, same pads, group g ⇒ [C/g, M, *K′], K′ ≥ K (extra rows cut by Slice), transposed to [M, C/g, *K].
//   Measured (bench:train-step, 1 thread): the swapped Conv is a 16×16 "kernel" Conv, ~70% of backward time.
// dBias = Σ_{n, spatial} dy as ReduceSum over the flattened spatial axis, then over n (contiguous reductions).
import { Concat } from '../../build/opset/Concat';
import { Conv } from '../../build/opset/Conv';
import { ConvTranspose } from '../../build/opset/ConvTranspose';
import { MatMul } from '../../build/opset/MatMul';
import { Pad } from '../../build/opset/Pad';
import { ReduceSum } from '../../build/opset/ReduceSum';
import { Reshape } from '../../build/opset/Reshape';
import { Slice } from '../../build/opset/Slice';
import { Transpose } from '../../build/opset/Transpose';
import type { Var } from '../../build/Var';
import type { GradContext, GradRule } from '../rule';

/** Conv/ConvTranspose attributes with defaults filled in; kernel = weight spatial dims. */
export type ConvGeometry = { sp: number; group: number; strides: number[]; pads: number[]; dilations: number[]; kernel: number[] };

export function convGeometry(ctx: GradContext): ConvGeometry {
  const w = ctx.x(1);
  const sp = w.rank - 2;
  const kernel = w.shape.slice(2) as number[];
  return {
    sp,
    group: ctx.int('group', 1),
    strides: ctx.ints('strides', new Array<number>(sp).fill(1)),
    pads: ctx.ints('pads', new Array<number>(2 * sp).fill(0)),
    dilations: ctx.ints('dilations', new Array<number>(sp).fill(1)),
    kernel,
  };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const product = (xs: readonly number[]) => xs.reduce((a, v) => a * v, 1);

/** Kernels with more taps than this keep the swapped-Conv dw (im2col would copy x that many times). */
export const IM2COL_MAX_TAPS = 27;

/** Which constructions the rule emits (dw; dy's zero insertion); switches for benchmarks and path-equivalence tests. */
export const convGradOptions: { weightGrad: 'im2col' | 'conv'; zeroInsert: 'matmul' | 'pad' } = { weightGrad: 'im2col', zeroInsert: 'matmul' };

/**
 * w [M, C/g, *K] → [C, M/g, *K] (per-group transpose) with every spatial axis reversed. Reversing all spatial
 * axes reverses the row-major flattened kernel index, so it is one Slice with step −1 over [.., Π K].
 */
function flippedTransposedWeight(w: Var, geo: ConvGeometry): Var {
  const [m, cg, g] = [w.shape[0] as number, w.shape[1] as number, geo.group];
  const taps = product(geo.kernel);
  const t = g === 1
    ? Transpose(Reshape(w, [m, cg, taps]), [1, 0, 2])
    : Reshape(Transpose(Reshape(w, [g, m / g, cg, taps]), [0, 2, 1, 3]), [g * cg, m / g, taps]);
  const flipped = taps > 1 ? Slice(t, [-1], [-Infinity], [2], [-1]) : t;
  return Reshape(flipped, [g * cg, m / g, ...geo.kernel]);
}

/** 0/1 matrix [len, len·s] with E[i, i·s] = 1: x·E puts s−1 zeros after each element of x's last axis. */
function spreadMatrix(v: Var, len: number, s: number, transposed: boolean): Var {
  const e = new Float32Array(len * len * s);
  for (let i = 0; i < len; i++) e[transposed ? i * s * len + i : i * len * s + i * s] = 1;
  return v.builder.constant(v.dtype === 'float32' ? e : Float64Array.from(e), v.dtype, transposed ? [len * s, len] : [len, len * s]);
}

/** Inserts s−1 zeros after every element of each spatial axis: [N, M, *O] → [N, M, *(O·s)]. */
function zeroInsert(dy: Var, strides: readonly number[]): Var {
  if (strides.every((s) => s === 1)) return dy;
  const out = dy.shape.slice(2) as number[];
  if (convGradOptions.zeroInsert === 'matmul' && out.length <= 2 && (dy.dtype === 'float32' || dy.dtype === 'float64')) {
    const [last, sLast] = [out[out.length - 1] as number, strides[out.length - 1] as number];
    let t = sLast > 1 ? MatMul(dy, spreadMatrix(dy, last, sLast, false)) : dy;
    if (out.length === 2 && (strides[0] as number) > 1) t = MatMul(spreadMatrix(dy, out[0] as number, strides[0] as number, true), t);
    return t;
  }
  const [n, m] = [dy.shape[0] as number, dy.shape[1] as number];
  const split = [n, m, ...out.flatMap((d) => [d, 1])];
  const pads = new Array<number>(2 * split.length).fill(0);
  strides.forEach((s, i) => (pads[split.length + 3 + 2 * i] = s - 1));
  return Reshape(Pad(Reshape(dy, split), pads), [n, m, ...out.map((d, i) => d * (strides[i] as number))]);
}

function inputGrad(ctx: GradContext, geo: ConvGeometry): Var {
  const dy = ctx.dy();
  const x = ctx.x(0);
  const reach = geo.kernel.map((k, i) => (geo.dilations[i] as number) * (k - 1));
  const leftover = geo.kernel.map((_, i) => {
    const span = (x.shape[i + 2] as number) + (geo.pads[i] as number) + (geo.pads[i + geo.sp] as number) - (reach[i] as number) - 1;
    return span - ((dy.shape[i + 2] as number) - 1) * (geo.strides[i] as number);
  });
  if (geo.pads.some((p, j) => p > (reach[j % geo.sp] as number))) {
    return ConvTranspose(dy, ctx.x(1), undefined, { strides: geo.strides, pads: geo.pads, dilations: geo.dilations, group: geo.group, outputPadding: leftover });
  }
  // Stride-1 Conv over the zero-inserted dy; its end padding reach − pe + leftover already has s−1 zeros.
  const up = zeroInsert(dy, geo.strides);
  const endPad = reach.map((r, i) => r - (geo.pads[i + geo.sp] as number) + (leftover[i] as number) - ((geo.strides[i] as number) - 1));
  const ends = up.shape.slice(2).map((len, i) => len + Math.min(0, endPad[i] as number));
  const input = endPad.some((p) => p < 0) ? Slice(up, ends.map(() => 0), ends, range(geo.sp, 2)) : up;
  const pads = [...reach.map((r, i) => r - (geo.pads[i] as number)), ...endPad.map((p) => Math.max(0, p))];
  return Conv(input, flippedTransposedWeight(ctx.x(1), geo), undefined, { pads, dilations: geo.dilations, group: geo.group });
}

/** Every kernel tap as a spatial offset tuple, row-major. */
function kernelTaps(kernel: readonly number[]): number[][] {
  return kernel.reduce<number[][]>((acc, k) => acc.flatMap((t) => range(k).map((i) => [...t, i])), [[]]);
}

/** [N, C, *S] → [C, N, *S] (a Reshape when N = 1). */
function swapBatchChannels(v: Var): Var {
  const [n, c] = [v.shape[0] as number, v.shape[1] as number];
  const rest = v.shape.slice(2) as number[];
  return n === 1 ? Reshape(v, [c, 1, ...rest]) : Transpose(v, [1, 0, ...range(rest.length, 2)]);
}

/**
 * (I1, I2) per kernel tap k: cols_k = xpadᵀ[c, n, o·s + k·d] → [g, C/g, N·P] (a strided Slice; none for a 1×1
 * kernel covering x), dw[:, :, k] = dyᵀ [g, M/g, N·P] · cols_kᵀ (one MatMul per tap), then Concat over taps.
 */
function im2colWeightGrad(x: Var, dy: Var, geo: ConvGeometry): Var {
  const [c, m, g, sp] = [x.shape[1] as number, dy.shape[1] as number, geo.group, geo.sp];
  const out = dy.shape.slice(2) as number[];
  const np = (x.shape[0] as number) * product(out);
  const padded = geo.pads.some((p) => p > 0) ? Pad(x, [0, 0, ...geo.pads.slice(0, sp), 0, 0, ...geo.pads.slice(sp)]) : x;
  const xt = swapBatchChannels(padded);
  const dyt = Reshape(swapBatchChannels(dy), [g, m / g, np]);
  const parts = kernelTaps(geo.kernel).map((tap) => {
    const starts = tap.map((k, i) => k * (geo.dilations[i] as number));
    const ends = starts.map((b, i) => b + ((out[i] as number) - 1) * (geo.strides[i] as number) + 1);
    const whole = starts.every((b) => b === 0) && geo.strides.every((s) => s === 1) && ends.every((e, i) => e === xt.shape[i + 2]);
    const cols = Reshape(whole ? xt : Slice(xt, starts, ends, range(sp, 2), geo.strides), [g, c / g, np]);
    return Reshape(MatMul(dyt, Transpose(cols, [0, 2, 1])), [m, c / g, 1]);
  });
  return Reshape(parts.length === 1 ? (parts[0] as Var) : Concat(parts, 2), [m, c / g, ...geo.kernel]);
}

/**
 * dw of z = Conv(x, w) given dz (named dy here): x [N, C, *S], dy [N, M, *O] → [M, C/g, *K].
 * ConvTranspose reuses it with x := its dy and dy := its x (ConvTranspose is the adjoint of that Conv).
 */
export function convWeightGrad(x: Var, dy: Var, geo: ConvGeometry): Var {
  const useIm2col = convGradOptions.weightGrad === 'im2col' && product(geo.kernel) <= IM2COL_MAX_TAPS;
  return useIm2col ? im2colWeightGrad(x, dy, geo) : swappedConvWeightGrad(x, dy, geo);
}

/** (swapped Conv) the fallback dw, see the header. */
function swappedConvWeightGrad(x: Var, dy: Var, geo: ConvGeometry): Var {
  const [n, c] = [x.shape[0] as number, x.shape[1] as number];
  const m = dy.shape[1] as number;
  const g = geo.group;
  const spatialX = x.shape.slice(2) as number[];
  const spatialY = dy.shape.slice(2) as number[];
  const xs = g === 1
    ? Transpose(x, [1, 0, ...range(geo.sp, 2)])
    : Reshape(Transpose(Reshape(x, [n, g, c / g, ...spatialX]), [2, 1, 0, ...range(geo.sp, 3)]), [c / g, g * n, ...spatialX]);
  const dys = g === 1
    ? Transpose(dy, [1, 0, ...range(geo.sp, 2)])
    : Reshape(Transpose(Reshape(dy, [n, g, m / g, ...spatialY]), [1, 2, 0, ...range(geo.sp, 3)]), [m, n, ...spatialY]);
  const raw = Conv(xs, dys, undefined, { strides: geo.dilations, dilations: geo.strides, pads: geo.pads, group: g });
  const big = raw.shape.slice(2).some((k, i) => k !== geo.kernel[i]);
  const cut = big ? Slice(raw, range(geo.sp).map(() => 0), geo.kernel, range(geo.sp, 2)) : raw;
  return Transpose(cut, [1, 0, ...range(geo.sp, 2)]);
}

/** Σ_{n, spatial} dy: ReduceSum over the flattened spatial axis, then over n (both contiguous reductions). */
function biasGrad(dy: Var): Var {
  const [n, m] = [dy.shape[0] as number, dy.shape[1] as number];
  const perSample = ReduceSum(Reshape(dy, [n, m, product(dy.shape.slice(2) as number[])]), [2], false);
  return n === 1 ? Reshape(perSample, [m]) : ReduceSum(perSample, [0], false);
}

export const rule: GradRule = {
  opType: 'Conv',
  differentiable: [0, 1, 2],
  grad(ctx) {
    const geo = convGeometry(ctx);
    const dBias = ctx.needs(2) ? biasGrad(ctx.dy()) : undefined;
    return [ctx.needs(0) ? inputGrad(ctx, geo) : undefined, ctx.needs(1) ? convWeightGrad(ctx.x(0), ctx.dy(), geo) : undefined, dBias];
  },
};
