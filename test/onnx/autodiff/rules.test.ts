// Every gradient rule against central finite differences through onnxruntime-node (cases/<OpType>.ts,
// one line per case). The rules with a case must be exactly the differentiable rules of the registry.
import { describe, expect, it } from 'vitest';
import { gradientOpTypes } from '../../../src/onnx/index';
import { GRAD_RULES } from '../../../src/onnx/autodiff/rules/index';
import { checkGradCase } from '../../helpers/finiteDiff';
import { OP_CASES } from './cases/index';

/** The op types the autodiff must have a rule for (the SD-family forward graphs use them) (Shape stands for the shape-only ops, registered as non-differentiable). */
const REQUIRED = [
  'Add', 'Sub', 'Mul', 'Div', 'Neg', 'Pow', 'Sqrt', 'Exp', 'Log', 'Erf', 'Tanh', 'Sigmoid', 'Relu', 'Cos', 'Sin', 'MatMul',
  'Gemm', 'Conv', 'Resize', 'Softmax', 'LayerNormalization', 'InstanceNormalization', 'ReduceMean', 'ReduceSum',
  'ReduceMax', 'Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Concat', 'Split', 'Slice', 'Gather', 'Expand',
  'Where', 'Cast', 'Identity', 'Pad', 'Shape', 'Equal', 'Range', 'ConstantOfShape',
];

describe('the rule registry', () => {
  it('covers every required op type', () => {
    expect(REQUIRED.filter((t) => !gradientOpTypes().includes(t))).toEqual([]);
  });

  it('marks shape and comparison ops as non-differentiable', () => {
    for (const t of ['Shape', 'Equal', 'Range', 'ConstantOfShape']) expect(GRAD_RULES.get(t)?.differentiable).toBe('none');
  });
});

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
