// composeGraphs and buildAccumulateGraph: wiring by name and by `wire`, prefixing, collisions, and a run of
// a composed "y = 2x" → AdamW graph in onnxruntime-node.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { buildAccumulateGraph, buildSgdGraph, composeGraphs, GraphBuilder, op } from '../../../src/onnx/index';
import { f32 } from '../../helpers/ort';
import { runGraph, scalarF32, values } from './reference';

/** A toy "backward" graph: input w [2], outputs loss = Σ w² and g = 2w (named `dw`). */
function toyBackward() {
  const b = new GraphBuilder('toy');
  const w = b.input('w', 'float32', [2]);
  b.output(op.ReduceSum(op.Mul(w, w), undefined, false), 'loss');
  b.output(op.Mul(w, b.scalar(2)), 'dw');
  return b.graph;
}

describe('when composing a backward graph with an optimizer graph', () => {
  const sgd = buildSgdGraph([{ name: 'w', shape: [2] }]).graph;

  it('shares `w`, wires `grad/w` to `dw`, prefixes internals and keeps the chosen outputs', () => {
    const g = composeGraphs(toyBackward(), sgd, { name: 'step', prefix: 'update', keepFirstOutputs: ['loss'], wire: { 'grad/w': 'dw' } });
    expect(g.inputs.map((i) => i.name)).toEqual(['w', 'lr', 'step']);
    expect(g.outputs.map((o) => o.name)).toEqual(['loss', 'w/next', 'gradNorm', 'skipped']);
    expect(g.nodes.filter((n) => n.inputs.includes('dw')).length).toBeGreaterThan(0);
    expect(g.nodes.slice(5).every((n) => n.name.startsWith('update/'))).toBe(true);
    expect(g.initializers.slice(1).every((t) => t.name.startsWith('update/'))).toBe(true);
  });

  it('runs as one graph: w ← w − lr·2w', async () => {
    const g = composeGraphs(toyBackward(), sgd, { name: 'step', prefix: 'update', keepFirstOutputs: ['loss'], wire: { 'grad/w': 'dw' } });
    const out = await runGraph(g, { w: f32([2], [1, -3]), lr: scalarF32(0.25), step: scalarF32(1) });
    expect(values(out, 'loss')).toEqual([10]);
    expect(values(out, 'w/next')).toEqual([0.5, -1.5]);
  });

  it('rejects a kept output that does not exist, a dangling wire, and a colliding output', () => {
    const opts = { name: 's', prefix: 'u', wire: { 'grad/w': 'dw' } };
    expect(() => composeGraphs(toyBackward(), sgd, { ...opts, keepFirstOutputs: ['nope'] })).toThrow(/"nope" is not an output of toy/);
    expect(() => composeGraphs(toyBackward(), sgd, { ...opts, keepFirstOutputs: [], wire: { 'grad/w': 'missing' } })).toThrow(GraphError);
    const clash = new GraphBuilder('clash');
    clash.output(clash.input('gradNorm', 'float32', []), 'x');
    expect(() => composeGraphs(clash.graph, sgd, { name: 's', prefix: 'u', keepFirstOutputs: [] })).toThrow(/output "gradNorm" .* collides/);
  });
});

describe('when accumulating micro-batch gradients', () => {
  it('adds grad/p into acc/p', async () => {
    const g = buildAccumulateGraph([{ name: 'w', shape: [2] }]);
    const out = await runGraph(g, { 'acc/w': f32([2], [1, 2]), 'grad/w': f32([2], [0.5, -4]) });
    expect(values(out, 'acc/w/next')).toEqual([1.5, -2]);
  });
});
