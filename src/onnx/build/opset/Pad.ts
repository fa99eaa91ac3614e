// Pad: pads (int64 INPUT, [x1_begin, x2_begin, …, x1_end, x2_end, …]) and an optional constant_value INPUT,
// mode constant | reflect | edge (ONNX opset 13). Negative pads crop. Reference: ONNX Operators.md#Pad.
import { attr } from '../attrs';
import type { OpSchema } from '../schema';
import type { Var } from '../Var';

export type PadMode = 'constant' | 'reflect' | 'edge';
export type PadOptions = { mode?: PadMode; /** fill value for mode 'constant' (default 0) */ value?: number; name?: string };

const MODES: readonly string[] = ['constant', 'reflect', 'edge'];

export const schema: OpSchema = {
  opType: 'Pad',
  infer(ctx) {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const mode = ctx.string('mode', 'constant');
    if (!MODES.includes(mode)) ctx.fail(`mode "${mode}" is not one of ${MODES.join('/')}`);
    const pads = ctx.constInts(1, 'pads');
    if (pads.length !== 2 * rank) ctx.fail(`pads has ${pads.length} values, rank ${rank} needs ${2 * rank}`);
    if (ctx.hasInput(2) && (ctx.input(2).dtype !== x.dtype || ctx.input(2).shape.length > 1)) ctx.fail(`constant_value must be a ${x.dtype} scalar`);
    const out = x.shape.map((d, i) => {
      const lo = pads[i] as number;
      const hi = pads[i + rank] as number;
      if (mode === 'reflect' && (lo >= d || hi >= d)) ctx.fail(`reflect pads ${lo}/${hi} on axis ${i} must be < its size ${d}`);
      if (mode === 'edge' && d === 0 && lo + hi > 0) ctx.fail(`edge padding of the empty axis ${i}`);
      const size = d + lo + hi;
      if (size < 0) ctx.fail(`pads ${lo}/${hi} crop axis ${i} of size ${d} below zero`);
      return size;
    });
    return [{ dtype: x.dtype, shape: out }];
  },
};

/** Pads x by `pads` = [begins…, ends…] (one begin and end per axis). */
export function Pad(x: Var, pads: readonly number[], o: PadOptions = {}): Var {
  const b = x.builder;
  const mode = o.mode ?? 'constant';
  const value = mode === 'constant' && o.value !== undefined ? b.constant([o.value], x.dtype, []) : undefined;
  return b.op1('Pad', [x, b.ints(pads), value], { mode: attr.string(mode) }, o.name);
}
