// Gradient rule for Resize (nearest and linear, no antialias, roi unused): Resize is separable and linear in
// x, so per resized spatial axis it is y = A·x with a constant interpolation matrix A [out, in] built here
// from the ONNX coordinate transform (Operators.md#Resize; clamping as in onnxruntime's upsample kernels).
// dx = A_hᵀ · dy · A_w (MatMuls with constant matrices; both run on the WebGPU EP). N and C must not resize.
import { MatMul } from '../../build/opset/MatMul';
import { Transpose } from '../../build/opset/Transpose';
import type { Var } from '../../build/Var';
import type { GradContext, GradRule } from '../rule';

type AxisResize = { inLen: number; outLen: number; scale: number };

/** ONNX coordinate_transformation_mode: output coordinate → input coordinate. */
function sourceCoord(mode: string, o: number, a: AxisResize): number {
  switch (mode) {
    case 'asymmetric': return o / a.scale;
    case 'align_corners': return a.outLen === 1 ? 0 : (o * (a.inLen - 1)) / (a.outLen - 1);
    case 'pytorch_half_pixel': return a.outLen > 1 ? (o + 0.5) / a.scale - 0.5 : 0;
    default: return (o + 0.5) / a.scale - 0.5; // half_pixel
  }
}

function nearestIndex(mode: string, c: number): number {
  const frac = c - Math.floor(c);
  switch (mode) {
    case 'floor': return Math.floor(c);
    case 'ceil': return Math.ceil(c);
    case 'round_prefer_ceil': return frac === 0.5 ? Math.ceil(c) : Math.round(c);
    default: return frac === 0.5 ? Math.floor(c) : Math.round(c); // round_prefer_floor
  }
}

/** Interpolation matrix A [outLen, inLen] (row-major) of one axis. */
export function interpolationMatrix(ctx: GradContext, a: AxisResize): number[] {
  const mode = ctx.string('mode', 'nearest');
  const ctm = ctx.string('coordinate_transformation_mode', 'half_pixel');
  const m = new Array<number>(a.outLen * a.inLen).fill(0);
  const clampI = (i: number) => Math.min(Math.max(i, 0), a.inLen - 1);
  for (let o = 0; o < a.outLen; o++) {
    const c = sourceCoord(ctm, o, a);
    if (mode === 'nearest') {
      m[o * a.inLen + clampI(nearestIndex(ctx.string('nearest_mode', 'round_prefer_floor'), c))] = 1;
      continue;
    }
    const cc = Math.min(Math.max(c, 0), a.inLen - 1);
    const i0 = Math.floor(cc);
    const i1 = Math.min(i0 + 1, a.inLen - 1);
    const f = cc - i0;
    m[o * a.inLen + i0] = (m[o * a.inLen + i0] as number) + (1 - f);
    m[o * a.inLen + i1] = (m[o * a.inLen + i1] as number) + f;
  }
  return m;
}

function axisResizes(ctx: GradContext): AxisResize[] {
  const x = ctx.x(0);
  const y = ctx.y();
  const scales = ctx.inputs[2]?.constValue;
  return x.shape.map((inLen, i) => {
    const outLen = y.shape[i] as number;
    const scale = scales && scales.length ? Number(scales[i]) : outLen / inLen;
    return { inLen, outLen, scale };
  });
}

export const rule: GradRule = {
  opType: 'Resize',
  differentiable: [0],
  grad(ctx) {
    if (ctx.int('antialias', 0) !== 0) ctx.fail('antialias=1 has no gradient rule');
    const x = ctx.x(0);
    const axes = axisResizes(ctx);
    if (axes.slice(0, 2).some((a) => a.inLen !== a.outLen || a.scale !== 1)) ctx.fail('resizing the N or C axis has no gradient rule');
    let g: Var = ctx.dy();
    const last = x.rank - 1;
    for (let i = 2; i < x.rank; i++) {
      const a = axes[i] as AxisResize;
      if (a.inLen === a.outLen && a.scale === 1) continue;
      const mat = ctx.b.constant(interpolationMatrix(ctx, a), x.dtype, [a.outLen, a.inLen]);
      // Contract axis i of g with A: move axis i last, multiply by A ([.., out]·[out, in]), move back.
      const perm = [...Array(x.rank).keys()];
      perm[i] = last;
      perm[last] = i;
      const moved = i === last ? g : Transpose(g, perm);
      const prod = MatMul(moved, mat);
      g = i === last ? prod : Transpose(prod, perm);
    }
    return [g];
  },
};
