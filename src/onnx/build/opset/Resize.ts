// Resize (ONNX opset 13 semantics, current at opset 17): nearest or linear, scales (float32 input) or sizes
// (int64 input), roi omitted. Output dim = floor(in · scale) or the given size. Diffusers' Upsample2D exports as
// nearest + asymmetric + floor at scale 2 — the combination the WebGPU EP handles. Reference: Operators.md#Resize.
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export type ResizeMode = 'nearest' | 'linear';
export type CoordinateTransformationMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
export type ResizeOptions = {
  /** one per axis (1 for N and C); give exactly one of scales or sizes */
  scales?: number[];
  /** one per axis */
  sizes?: number[];
  mode: ResizeMode;
  /** default 'half_pixel' (the ONNX default) */
  coordinateTransformationMode?: CoordinateTransformationMode;
  /** nearest only; default 'round_prefer_floor' (the ONNX default) */
  nearestMode?: NearestMode;
  name?: string;
};

const MODES: readonly string[] = ['nearest', 'linear'];
const CTMS: readonly string[] = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'];
const NEAREST: readonly string[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

export const schema: OpSchema = {
  opType: 'Resize',
  infer(ctx) {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const mode = ctx.string('mode', 'nearest');
    const ctm = ctx.string('coordinate_transformation_mode', 'half_pixel');
    const nearest = ctx.string('nearest_mode', 'round_prefer_floor');
    if (!MODES.includes(mode)) ctx.fail(`mode "${mode}" is not supported; use ${MODES.join('/')}`);
    if (!CTMS.includes(ctm)) ctx.fail(`coordinate_transformation_mode "${ctm}" is not supported; use ${CTMS.join('/')}`);
    if (!NEAREST.includes(nearest)) ctx.fail(`nearest_mode "${nearest}" is not one of ${NEAREST.join('/')}`);
    if (ctx.hasInput(2) === ctx.hasInput(3)) ctx.fail('give exactly one of scales (input 2) and sizes (input 3)');
    if (ctx.hasInput(2)) {
      ctx.expectDtype([2], ['float32']);
      const scales = Array.from(ctx.input(2).constValue as Float32Array | undefined ?? ctx.fail('scales must be a constant'));
      if (scales.length !== rank || scales.some((s) => !(s > 0))) ctx.fail(`scales [${scales.join(',')}] must be ${rank} positive numbers`);
      const out = x.shape.map((d, i) => Math.floor(d * (scales[i] as number)));
      if (out.some((d) => d < 1)) ctx.fail(`scales [${scales.join(',')}] give an empty output [${out.join(',')}]`);
      return [{ dtype: x.dtype, shape: out }];
    }
    ctx.expectDtype([3], ['int64']);
    const sizes = ctx.constInts(3, 'sizes');
    if (sizes.length !== rank || sizes.some((s) => s < 1)) ctx.fail(`sizes [${sizes.join(',')}] must be ${rank} numbers ≥ 1`);
    return [{ dtype: x.dtype, shape: sizes }];
  },
};

/** Resizes x by `scales` or to `sizes`. 2× nearest upsampling of [N,C,H,W]: scales [1,1,2,2], asymmetric, floor. */
export function Resize(x: Var, o: ResizeOptions): Var {
  const b = x.builder;
  const scales = o.scales ? b.constant(Float32Array.from(o.scales), 'float32', [o.scales.length]) : undefined;
  const sizes = o.sizes ? b.ints(o.sizes) : undefined;
  const attrs = {
    mode: attr.string(o.mode),
    coordinate_transformation_mode: attr.string(o.coordinateTransformationMode ?? 'half_pixel'),
    ...(o.mode === 'nearest' ? { nearest_mode: attr.string(o.nearestMode ?? 'round_prefer_floor') } : {}),
  };
  return b.op1('Resize', [x, undefined, scales, sizes], attrs, o.name);
}
