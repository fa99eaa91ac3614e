// Einsum (ONNX opset 12): explicit ("ij,jk->ik") or implicit ("ij,jk": output = letters used once, sorted)
// equations over single-letter axes. A repeated letter takes a diagonal; letters missing from the output are
// summed. Ellipsis ("...") is refused: write the batch letters. Reference: ONNX Operators.md#Einsum.
import { attr } from '../attrs';
import type { InferContext, OpSchema } from '../schema';
import type { Var } from '../Var';

/** Parsed equation: one letter list per input, and the output letters. */
export type EinsumTerms = { inputs: string[][]; output: string[] };

/** Splits an equation into terms; throws through ctx.fail on syntax the project does not support. */
export function parseEinsum(ctx: InferContext, equation: string): EinsumTerms {
  const eq = equation.replace(/\s+/g, '');
  if (eq.includes('...')) ctx.fail(`equation "${equation}" uses "..."; write the batch letters explicitly`);
  if (!/^[a-zA-Z,]*(->[a-zA-Z]*)?$/.test(eq)) ctx.fail(`equation "${equation}" must be letters, commas and one "->"`);
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const inputs = lhs.split(',').map((t) => [...t]);
  const counts = new Map<string, number>();
  for (const t of inputs) for (const l of t) counts.set(l, (counts.get(l) ?? 0) + 1);
  const output = rhs !== undefined ? [...rhs] : [...counts.keys()].filter((l) => counts.get(l) === 1).sort();
  if (new Set(output).size !== output.length) ctx.fail(`output "${output.join('')}" repeats a letter`);
  for (const l of output) if (!counts.has(l)) ctx.fail(`output letter "${l}" appears in no input`);
  return { inputs, output };
}

export const schema: OpSchema = {
  opType: 'Einsum',
  infer(ctx) {
    const eq = ctx.string('equation', '');
    const { inputs, output } = parseEinsum(ctx, eq);
    if (inputs.length !== ctx.inputs.length) ctx.fail(`equation "${eq}" has ${inputs.length} terms for ${ctx.inputs.length} inputs`);
    const dims = new Map<string, number>();
    const first = ctx.input(0);
    inputs.forEach((term, i) => {
      const s = ctx.input(i);
      if (s.dtype !== first.dtype) ctx.fail(`input ${i} dtype ${s.dtype} differs from ${first.dtype}`);
      if (term.length !== s.shape.length) ctx.fail(`term "${term.join('')}" has ${term.length} letters for rank ${s.shape.length} (input ${i})`);
      term.forEach((l, k) => {
        const d = s.shape[k] as number;
        const seen = dims.get(l);
        if (seen !== undefined && seen !== d) ctx.fail(`letter "${l}" is ${seen} in one place and ${d} in input ${i}`);
        dims.set(l, d);
      });
    });
    return [{ dtype: first.dtype, shape: output.map((l) => dims.get(l) as number) }];
  },
};

/** Einstein summation, e.g. Einsum('bij,bjk->bik', [a, b]). */
export function Einsum(equation: string, inputs: readonly Var[], name?: string): Var {
  const first = inputs[0];
  if (!first) throw new RangeError(`Einsum "${equation}" needs at least one input`);
  return first.builder.op1('Einsum', [...inputs], { equation: attr.string(equation) }, name);
}
