// LayerNormalization (ONNX opset 17): statistics over axes [axis, rank), y = (x − mean) · invStd · scale + bias,
// invStd = 1 / sqrt(var + epsilon). Optional outputs Mean and InvStdDev have shape x[:axis] + [1]·(rank−axis).
// Reference: ONNX Operators.md#LayerNormalization (stash_type 1: statistics in float32).
import { attr } from '../attrs';
import type { OpSchema, ValueSpec } from '../schema';
import type { Var } from '../Var';

export type LayerNormOptions = { axis?: number; epsilon?: number; name?: string };

export const schema: OpSchema = {
  opType: 'LayerNormalization',
  infer(ctx) {
    const x = ctx.input(0);
    ctx.expectDtype([0, 1, 2], ['float32', 'float16', 'float64', 'bfloat16']);
    const rank = x.shape.length;
    const axis = ctx.axis(ctx.int('axis', -1), rank);
    const normShape = x.shape.slice(axis);
    for (const i of [1, 2]) {
      if (!ctx.hasInput(i)) continue;
      const s = ctx.input(i).shape;
      const ok = s.length <= normShape.length && s.every((d, k) => d === 1 || d === normShape[normShape.length - s.length + k]);
      if (!ok) ctx.fail(`${i === 1 ? 'scale' : 'bias'} [${s.join(',')}] does not broadcast to the normalised shape [${normShape.join(',')}]`);
    }
    const stats: ValueSpec = { dtype: 'float32', shape: x.shape.map((d, i) => (i < axis ? d : 1)) };
    const outs: ValueSpec[] = [{ dtype: x.dtype, shape: [...x.shape] }, stats, { ...stats, shape: [...stats.shape] }];
    return outs.slice(0, Math.max(1, ctx.node.outputs.length));
  },
};

function attrsOf(o: LayerNormOptions) {
  return { axis: attr.int(o.axis ?? -1), epsilon: attr.float(o.epsilon ?? 1e-5) };
}

/** Layer norm over axes [axis, rank) (default the last). scale/bias: the normalised shape (or broadcastable). */
export function LayerNormalization(x: Var, scale: Var, bias?: Var, o: LayerNormOptions = {}): Var {
  return x.builder.op1('LayerNormalization', [x, scale, bias], attrsOf(o), o.name);
}

/** Layer norm that also returns Mean and InvStdDev (float32, shape x[:axis] + ones), e.g. for a backward pass. */
export function LayerNormalizationWithStats(x: Var, scale: Var, bias?: Var, o: LayerNormOptions = {}): { y: Var; mean: Var; invStdDev: Var } {
  const [y, mean, invStdDev] = x.builder.op('LayerNormalization', [x, scale, bias], attrsOf(o), 3, o.name) as [Var, Var, Var];
  return { y, mean, invStdDev };
}
