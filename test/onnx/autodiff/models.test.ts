// Whole-model gradient checks: every gradient entry of a small MLP, and spot checks of text-encoder-like and
// UNet-like graphs (cases/models.ts) against central finite differences through onnxruntime-node.
import { describe, expect, it } from 'vitest';
import { checkGradCase } from '../../helpers/finiteDiff';
import { MODEL_CASES } from './cases/models';

describe('when differentiating small whole models', () => {
  for (const c of MODEL_CASES) {
    it(`matches finite differences: ${c.name}`, async () => {
      const r = await checkGradCase(c);
      expect(r.maxRelErr, `${r.dtype}: ${r.worst}`).toBeLessThanOrEqual(r.tol);
      expect(r.probes).toBeGreaterThan(20);
    });
  }
});
