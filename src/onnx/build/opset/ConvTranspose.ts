// ConvTranspose (here 2-D, N-d inferred): group, strides, pads, dilations, output_padding; weight
// [C, M/group, kH, kW] (ONNX opset 11). Output size: stride·(in−1) + output_padding + (k−1)·dilation + 1 − pad_begin − pad_end.
// Reference: ONNX Operators.md#ConvTranspose. output_shape and auto_pad are refused: give explicit pads.
import { attr, compactAttrs } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export type ConvTransposeOptions = { strides?: number[]; pads?: number[]; dilations?: number[]; outputPadding?: number[]; group?: number; name?: string };

export const schema: OpSchema = {
  opType: 'ConvTranspose',
  infer(ctx) {
    const x = ctx.input(0);
    const w = ctx.input(1);
    ctx.expectDtype([0, 1, 2], ['float32', 'float16', 'float64']);
    const sp = x.shape.length - 2;
    if (sp < 1 || w.shape.length !== x.shape.length) ctx.fail(`x rank ${x.shape.length} and weight rank ${w.shape.length} must match (≥3)`);
    const group = ctx.int('group', 1);
    const c = x.shape[1] as number;
    if (c !== w.shape[0] || c % group !== 0) ctx.fail(`input channels ${c} must equal weight dim 0 (${w.shape[0]}) and divide by group ${group}`);
    const m = (w.shape[1] as number) * group;
    if (ctx.hasInput(2) && (ctx.input(2).shape.length !== 1 || ctx.input(2).shape[0] !== m)) ctx.fail(`bias must be [${m}]`);
    if (ctx.string('auto_pad', 'NOTSET') !== 'NOTSET' || ctx.attr('output_shape')) ctx.fail('auto_pad and output_shape are not supported; give explicit pads');
    const strides = ctx.ints('strides') ?? new Array<number>(sp).fill(1);
    const dil = ctx.ints('dilations') ?? new Array<number>(sp).fill(1);
    const pads = ctx.ints('pads') ?? new Array<number>(2 * sp).fill(0);
    const opad = ctx.ints('output_padding') ?? new Array<number>(sp).fill(0);
    const out = [x.shape[0] as number, m];
    for (let i = 0; i < sp; i++) {
      const [s, d, op] = [strides[i] as number, dil[i] as number, opad[i] as number];
      if (op >= Math.max(s, d)) ctx.fail(`output_padding ${op} on spatial axis ${i} must be < stride ${s} or dilation ${d}`);
      const size = s * ((x.shape[i + 2] as number) - 1) + op + ((w.shape[i + 2] as number) - 1) * d + 1 - (pads[i] as number) - (pads[i + sp] as number);
      if (size < 1) ctx.fail(`spatial axis ${i} would be empty`);
      out.push(size);
    }
    return [{ dtype: x.dtype, shape: out }];
  },
};

/** Transposed convolution. x: [N, C, H, W], w: [C, M/group, kH, kW], bias: [M] → [N, M, H', W']. */
export function ConvTranspose(x: Var, w: Var, bias?: Var, o: ConvTransposeOptions = {}): Var {
  const attrs = compactAttrs({
    strides: o.strides && attr.ints(o.strides),
    pads: o.pads && attr.ints(o.pads),
    dilations: o.dilations && attr.ints(o.dilations),
    output_padding: o.outputPadding && attr.ints(o.outputPadding),
    group: o.group !== undefined ? attr.int(o.group) : undefined,
  });
  return x.builder.op1('ConvTranspose', [x, w, bias], attrs, o.name);
}
