// Gradient rule for Einsum (explicit or implicit equations, no diagonals): for input i with letters a_i,
// dA_i = Einsum("out,<other terms>->a_i′", dy, other inputs), a_i′ = the letters of a_i that occur in the output
// or another term; letters only in a_i (summed away in the forward) are restored by Reshape + Expand (the
// gradient of a sum is a broadcast). A repeated letter within one term (a diagonal) fails with a GraphError.
import { Einsum, parseEinsum } from '../../build/opset/Einsum';
import { Reshape } from '../../build/opset/Reshape';
import { InferContext } from '../../build/schema';
import type { Var } from '../../build/Var';
import { broadcastTo } from '../helpers';
import type { GradContext, GradRule } from '../rule';

function inputGrad(ctx: GradContext, terms: string[][], output: string[], i: number): Var {
  const term = terms[i] as string[];
  const x = ctx.x(i);
  if (new Set(term).size !== term.length) ctx.fail(`term "${term.join('')}" repeats a letter (diagonal); no gradient rule for that`);
  const others = terms.filter((_, k) => k !== i);
  const visible = new Set([...output, ...others.flat()]);
  const kept = term.filter((l) => visible.has(l));
  const eq = `${[output, ...others].map((t) => t.join('')).join(',')}->${kept.join('')}`;
  const g = Einsum(eq, [ctx.dy(), ...ctx.inputs.filter((_, k) => k !== i).map((v) => v as Var)]);
  if (kept.length === term.length) return g;
  const withOnes = Reshape(g, term.map((l, k) => (visible.has(l) ? (x.shape[k] as number) : 1)));
  return broadcastTo(withOnes, x.shape);
}

export const rule: GradRule = {
  opType: 'Einsum',
  differentiable: [0, 1, 2, 3, 4, 5, 6, 7],
  grad(ctx) {
    const { inputs: terms, output } = parseEinsum(new InferContext(ctx.node, []), ctx.string('equation', ''));
    return ctx.inputs.map((_, i) => (ctx.needs(i) ? inputGrad(ctx, terms, output, i) : undefined));
  },
};
