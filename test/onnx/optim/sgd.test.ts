// SGD and Adam graph contracts beyond the torch golden values: slots follow the settings, bad settings teach.
import { describe, expect, it } from 'vitest';
import { buildAdamGraph, buildSgdGraph } from '../../../src/onnx/index';

const P = [{ name: 'p', shape: [2] }];

describe('when building SGD', () => {
  it('has no state without momentum and a `buf` slot with it', () => {
    expect(buildSgdGraph(P).slots).toEqual([]);
    expect(buildSgdGraph(P).graph.inputs.map((i) => i.name)).toEqual(['p', 'grad/p', 'lr', 'step']);
    expect(buildSgdGraph(P, { momentum: 0.9 }).graph.outputs.map((o) => o.name)).toEqual(['p/next', 'buf/p/next', 'gradNorm', 'skipped']);
  });

  it('rejects Nesterov without momentum and negative settings', () => {
    expect(() => buildSgdGraph(P, { nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => buildSgdGraph(P, { momentum: -1 })).toThrow(/momentum must be ≥ 0, got -1/);
    expect(() => buildAdamGraph(P, { weightDecay: -0.1 })).toThrow(/weightDecay must be ≥ 0, got -0.1/);
  });
});
