// Every gradient rule against central finite differences through onnxruntime-node (cases/<OpType>.ts,
// one line per case). The rules with a case must be exactly the differentiable rules of the registry.
import { describe, expect, it } from 'vitest';
import { gradientOpTypes } from '../../../src/onnx/index';
import { GRAD_RULES } from '../../../src/onnx/autodiff/rules/index';
import { checkGradCase } from '../../helpers/finiteDiff';
import { OP_CASES } from './cases/index';

describe('every differentiable rule', () => {
  it('has finite-difference cases', () => {
    const differentiable = gradientOpTypes().filter((t) => GRAD_RULES.get(t)?.differentiable !== 'none');
    expect(Object.keys(OP_CASES).sort()).toEqual(differentiable);
  });
});

for (const [opType, cases] of Object.entries(OP_CASES)) {
  describe(`the ${opType} rule`, () => {
    for (const c of cases) {
      it(`matches finite differences: ${c.name}`, async () => {
        const r = await checkGradCase(c);
        expect(r.maxRelErr, `${r.dtype}: ${r.worst}`).toBeLessThanOrEqual(r.tol);
      });
    }
  });
}
