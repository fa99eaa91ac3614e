// prune, foldConstants and fixDims: structure after each pass, then the same numbers in onnxruntime-node.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { fixDims, foldConstants, GraphBuilder, op, prune, validateGraph } from '../../../src/onnx/index';
import type { Graph } from '../../../src/onnx/index';
import { closeness, f32 } from '../../helpers/ort';
import { runGraph } from './helpers';

const xData = Array.from({ length: 12 }, (_, i) => i / 4 - 1);
const x = f32([2, 6], xData);

describe('when a graph has dead nodes, an unused weight and an unused input', () => {
  function build(): Graph {
    const b = new GraphBuilder('dead');
    const xv = b.input('x', 'float32', [2, 6]);
    b.input('unused', 'float32', [1]);
    b.param('orphan', 'float32', [3]);
    const dead = op.Mul(xv, b.param('deadw', 'float32', [2, 6]));
    op.Relu(dead);
    b.output(op.Relu(op.Add(xv, b.scalar(1))), 'y');
    return b.graph;
  }

  it('removes them and keeps the output', async () => {
    const before = build();
    const after = prune(before, { removeUnusedInputs: true });
    expect(before.nodes.map((n) => n.opType)).toEqual(['Mul', 'Relu', 'Add', 'Relu', 'Identity']);
    expect(after.nodes.map((n) => n.opType)).toEqual(['Add', 'Relu', 'Identity']);
    expect(after.initializers.map((t) => t.name)).toEqual(['const']);
    expect(after.inputs.map((v) => v.name)).toEqual(['x']);
    expect(prune(before).inputs.map((v) => v.name)).toEqual(['x', 'unused']);
    expect(prune(after, { removeUnusedInputs: true })).toBe(after);
    const ref = await runGraph(before, { x, unused: f32([1], [0]) });
    const out = await runGraph(after, { x });
    expect(out.y).toEqual(ref.y);
  });
});

describe('when a reshape target is computed from constants', () => {
  function build(): Graph {
    const b = new GraphBuilder('fold');
    const xv = b.input('x', 'float32', [2, 6]);
    const dims = b.ints([2, 3, 2]);
    const picked = op.Gather(dims, b.ints([1, 2]));
    const target = op.Concat([op.Mul(b.ints([1]), b.ints([2])), picked], 0);
    b.output(op.Reshape(xv, target), 'y');
    return b.graph;
  }

  it('replaces the Gather/Mul/Concat chain by one initializer', async () => {
    const before = build();
    const after = foldConstants(before);
    expect(before.nodes.map((n) => n.opType)).toEqual(['Gather', 'Mul', 'Concat', 'Reshape', 'Identity']);
    expect(after.nodes.map((n) => n.opType)).toEqual(['Reshape', 'Identity']);
    const target = after.initializers.find((t) => t.name === after.nodes[0]!.inputs[1]);
    expect(Array.from(target!.data as BigInt64Array, Number)).toEqual([2, 3, 2]);
    expect(after.initializers).toHaveLength(1);
    expect(() => validateGraph(after)).not.toThrow();
    expect(foldConstants(after)).toBe(after);
    const ref = await runGraph(before, { x });
    const out = await runGraph(after, { x });
    expect(out.y).toEqual(ref.y);
    expect(out.y).toEqual(xData);
  });
});

describe('when a reshape target comes from Shape of a static input and a Constant node', () => {
  it('folds Shape→Gather→Concat and the Constant into initializers', async () => {
    const b = new GraphBuilder('shapes');
    const xv = b.input('x', 'float32', [2, 6]);
    const batch = op.Gather(op.Shape(xv), b.ints([0]));
    const rest = op.Constant(b, [3, 2], 'int64');
    b.output(op.Reshape(xv, op.Concat([batch, rest], 0)), 'y');
    const before = b.graph;
    const after = foldConstants(before);
    expect(before.nodes.map((n) => n.opType)).toEqual(['Shape', 'Gather', 'Constant', 'Concat', 'Reshape', 'Identity']);
    expect(after.nodes.map((n) => n.opType)).toEqual(['Reshape', 'Identity']);
    expect(after.initializers.map((t) => [t.dims, Array.from(t.data as BigInt64Array, Number)])).toEqual([[[3], [2, 3, 2]]]);
    const ref = await runGraph(before, { x });
    expect((await runGraph(after, { x })).y).toEqual(ref.y);
  });
});

describe('when an input has symbolic dims', () => {
  function build(): Graph {
    const b = new GraphBuilder('sym');
    const xv = b.input('x', 'float32', [2, 6]);
    b.output(op.Softmax(xv), 'y');
    const g = b.graph;
    g.inputs[0]!.shape = ['batch', 6];
    g.outputs[0]!.shape = ['batch', 6];
    return g;
  }

  it('makes them static and the graph becomes inferable', async () => {
    const before = build();
    expect(() => GraphBuilder.fromGraph(structuredClone(before))).toThrow(/dynamic shape \[batch,6\]/);
    const after = fixDims(before, { batch: 2 });
    expect(after.inputs[0]!.shape).toEqual([2, 6]);
    expect(after.outputs[0]!.shape).toEqual([2, 6]);
    expect(GraphBuilder.fromGraph(structuredClone(after)).get('y').shape).toEqual([2, 6]);
    const ref = await runGraph(before, { x });
    const out = await runGraph(after, { x });
    expect(closeness(out.y!, ref.y!)).toBeLessThanOrEqual(1);
  });

  it('rejects a dim name that appears nowhere, listing the real ones', () => {
    expect(() => fixDims(build(), { btach: 2 })).toThrow(GraphError);
    expect(() => fixDims(build(), { btach: 2 })).toThrow(/no dim named "btach" in graph "sym" \(symbolic dims: batch\)/);
  });
});
