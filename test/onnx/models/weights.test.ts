// WeightSource / ParamTable contract: per-name deterministic random init, size checks that name the weight,
// random fallback recorded by name, params as graph inputs in 'shapes-only' mode.
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../src/lib/errors';
import { GraphBuilder } from '../../../src/onnx/index';
import { MapWeights, ParamTable, RandomWeights } from '../../../src/onnx/models/weights';

describe('when drawing random weights', () => {
  it('gives the same values for a name whatever the order of requests', () => {
    const a = new RandomWeights(4);
    const b = new RandomWeights(4);
    a.get('x.weight', [3, 5]);
    expect(Array.from(a.get('y.bias', [7]))).toEqual(Array.from(b.get('y.bias', [7])));
    expect(Array.from(a.get('y.bias', [7]))).not.toEqual(Array.from(new RandomWeights(5).get('y.bias', [7])));
  });

  it('centres norm weights on 1 and scales matrices by 1/√fan_in', () => {
    const w = new RandomWeights(0);
    const gamma = w.get('blk.norm1.weight', [4096]);
    expect(Math.abs(gamma.reduce((s, v) => s + v, 0) / 4096 - 1)).toBeLessThan(0.02);
    const m = w.get('blk.to_q.weight', [64, 256]);
    const std = Math.sqrt(m.reduce((s, v) => s + v * v, 0) / m.length);
    expect(Math.abs(std - 1 / 16)).toBeLessThan(0.005);
  });
});

describe('when declaring parameters through a ParamTable', () => {
  it('throws a ModelFormatError naming the weight whose size does not fit', () => {
    const pt = new ParamTable(new GraphBuilder('g'), new MapWeights(new Map([['conv.weight', new Float32Array(5)]])));
    expect(() => pt.param('conv.weight', [2, 3])).toThrow(ModelFormatError);
    expect(() => pt.param('conv.weight', [2, 3])).toThrow(/weight "conv.weight" has 5 values; the model needs \[2, 3\] = 6/);
  });

  it('records the names filled by random init when the source lacks them', () => {
    const pt = new ParamTable(new GraphBuilder('g'), new MapWeights(new Map([['a', new Float32Array(2)]])));
    pt.param('a', [2]);
    pt.param('b', [3]);
    expect(pt.randomInitialized).toEqual(['b']);
    expect(pt.count()).toBe(5);
  });

  it("declares dataless graph inputs in 'shapes-only' mode", () => {
    const b = new GraphBuilder('g');
    const pt = new ParamTable(b, 'shapes-only');
    pt.param('big.weight', [1280, 1280, 3, 3]);
    expect(b.graph.initializers).toHaveLength(0);
    expect(b.graph.inputs.map((i) => i.name)).toEqual(['big.weight']);
    expect(pt.entries).toEqual([{ name: 'big.weight', shape: [1280, 1280, 3, 3], isInput: true }]);
  });
});
