// Packing and unpacking the evaluator's float32 weight blob against its manifest.
import { describe, expect, it } from 'vitest';
import { initParams, packWeights, paramShapes, unpackWeights } from '../../src/eval/index';
import type { EvaluatorManifest } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';

describe('evaluator weights', () => {
  const params = initParams(new Rng(4));
  const { blob, tensors } = packWeights(params);
  const manifest: EvaluatorManifest = { format: 'disenstudio-evaluator-f32le/2', weights: 'evaluator.bin', tensors, embeddingMean: [] };

  it('round-trips every parameter bit for bit', () => {
    const back = unpackWeights(manifest, blob);
    expect(Object.keys(back)).toEqual(paramShapes().map((p) => p.name));
    for (const [k, v] of Object.entries(params)) expect(back[k]).toEqual(v);
    expect(blob.byteLength).toBe(4 * Object.values(params).reduce((a, v) => a + v.length, 0));
  });

  it('rejects a manifest whose tensor shape does not match the architecture', () => {
    const bad = { ...manifest, tensors: tensors.map((t) => (t.name === 'fc.bias' ? { ...t, shape: [7] } : t)) };
    expect(() => unpackWeights(bad, blob)).toThrow(/"fc.bias".*missing or malformed/);
  });

  it('rejects a truncated blob', () => {
    expect(() => unpackWeights(manifest, blob.subarray(0, blob.byteLength - 8))).toThrow(/missing or malformed/);
  });
});
