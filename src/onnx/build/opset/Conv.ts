// Conv (N-d, here used 2-D): group, strides, pads, dilations; weight [M, C/group, kH, kW] (ONNX opset 11).
import { attr, compactAttrs } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export type ConvOptions = { strides?: number[]; pads?: number[]; dilations?: number[]; group?: number; name?: string };

export const schema: OpSchema = {
  opType: 'Conv',
  infer(ctx) {
    const x = ctx.input(0);
    const w = ctx.input(1);
    ctx.expectDtype([0, 1], ['float32', 'float16', 'float64']);
    const sp = x.shape.length - 2;
    if (sp < 1 || w.shape.length !== x.shape.length) ctx.fail(`x rank ${x.shape.length} and weight rank ${w.shape.length} must match (≥3)`);
    const group = ctx.int('group', 1);
    const cin = x.shape[1] as number;
    const m = w.shape[0] as number;
    if (cin !== (w.shape[1] as number) * group) ctx.fail(`input channels ${cin} ≠ weight channels ${w.shape[1]} × group ${group}`);
    if (m % group !== 0) ctx.fail(`output channels ${m} not divisible by group ${group}`);
    if (ctx.hasInput(2) && (ctx.input(2).shape.length !== 1 || ctx.input(2).shape[0] !== m)) ctx.fail(`bias must be [${m}]`);
    if (ctx.string('auto_pad', 'NOTSET') !== 'NOTSET') ctx.fail('auto_pad is not supported; give explicit pads');
    const k = w.shape.slice(2);
    const strides = ctx.ints('strides') ?? new Array(sp).fill(1);
    const dil = ctx.ints('dilations') ?? new Array(sp).fill(1);
    const pads = ctx.ints('pads') ?? new Array(2 * sp).fill(0);
    const out = [x.shape[0] as number, m];
    for (let i = 0; i < sp; i++) {
      const eff = ((k[i] as number) - 1) * (dil[i] as number) + 1;
      const size = Math.floor(((x.shape[i + 2] as number) + (pads[i] as number) + (pads[i + sp] as number) - eff) / (strides[i] as number)) + 1;
      if (size < 1) ctx.fail(`spatial axis ${i} would be empty`);
      out.push(size);
    }
    return [{ dtype: x.dtype, shape: out }];
  },
};

/** Convolution. x: [N, C, H, W], w: [M, C/group, kH, kW], bias: [M]. */
export function Conv(x: Var, w: Var, bias?: Var, o: ConvOptions = {}): Var {
  // Every attribute is written explicitly: the WebGPU (JSEP) Conv kernel rejects missing dilations/strides.
  const sp = w.shape.length - 2;
  const attrs = compactAttrs({
    strides: attr.ints(o.strides ?? new Array(sp).fill(1)),
    pads: attr.ints(o.pads ?? new Array(2 * sp).fill(0)),
    dilations: attr.ints(o.dilations ?? new Array(sp).fill(1)),
    group: attr.int(o.group ?? 1),
  });
  return x.builder.op1('Conv', [x, w, bias], attrs, o.name);
}
