// `npm run gradcheck`: every gradient rule and the whole-model cases against central finite differences in
// onnxruntime-node. Prints a JSON report { ops: [{ op, cases, maxRelErr, dtype }], models: [...] } and exits
// non-zero when any case fails or a differentiable rule has no case. Node-only; cases live in test/onnx/autodiff/cases.
import { GRAD_RULES } from '../src/onnx/autodiff/rules/index';
import { gradientOpTypes } from '../src/onnx/index';
import { checkGradCase } from '../test/helpers/finiteDiff';
import type { GradCheckResult } from '../test/helpers/finiteDiff';
import { OP_CASES } from '../test/onnx/autodiff/cases/index';
import { MODEL_CASES } from '../test/onnx/autodiff/cases/models';

type OpReport = { op: string; cases: number; maxRelErr: number; dtypes: string[]; ok: boolean; failures: string[] };

function summarize(op: string, results: GradCheckResult[]): OpReport {
  return {
    op,
    cases: results.length,
    maxRelErr: Math.max(0, ...results.map((r) => r.maxRelErr)),
    dtypes: [...new Set(results.map((r) => r.dtype))],
    ok: results.length > 0 && results.every((r) => r.ok),
    failures: results.filter((r) => !r.ok).map((r) => `${r.name} (${r.dtype}, tol ${r.tol}): ${r.worst}`),
  };
}

async function main(): Promise<void> {
  const ops: OpReport[] = [];
  for (const opType of gradientOpTypes().filter((t) => GRAD_RULES.get(t)?.differentiable !== 'none')) {
    const results: GradCheckResult[] = [];
    for (const c of OP_CASES[opType] ?? []) results.push(await checkGradCase(c));
    ops.push(summarize(opType, results));
  }
  const models = [];
  for (const c of MODEL_CASES) {
    const r = await checkGradCase(c);
    models.push({ model: r.name, dtype: r.dtype, probes: r.probes, maxRelErr: r.maxRelErr, tol: r.tol, ok: r.ok, worst: r.worst });
  }
  const nonDifferentiable = gradientOpTypes().filter((t) => GRAD_RULES.get(t)?.differentiable === 'none');
  const ok = ops.every((o) => o.ok) && models.every((m) => m.ok);
  console.log(JSON.stringify({ ok, ops, models, nonDifferentiable }, null, 2));
  process.exit(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
