// promoteInitializerToInput and exposeValueAsOutput: structure after the pass, then the same numbers in
// onnxruntime-node before and after (weights fed back as inputs; exposed values equal a direct computation).
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { exposeValueAsOutput, GraphBuilder, op, promoteInitializerToInput, runPasses, exposeValueAsOutputPass } from '../../../src/onnx/index';
import type { Graph } from '../../../src/onnx/index';
import { closeness, f32 } from '../../helpers/ort';
import { runGraph } from './helpers';

function build(): Graph {
  const b = new GraphBuilder('attn');
  const x = b.input('x', 'float32', [2, 3]);
  const w = b.param('w', 'float32', [3, 4], Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)));
  const scores = b.scope('blk', () => op.MatMul(x, w));
  b.output(op.Softmax(scores), 'y');
  return b.graph;
}
const x = f32([2, 3], [0.5, -1, 2, 0.1, 0.2, 0.3]);

describe('when a weight is promoted to a graph input', () => {
  it('becomes an input with its dtype and shape, and feeding the removed data gives the same output', async () => {
    const before = build();
    const { graph, removed } = promoteInitializerToInput(before, ['w']);
    expect(graph.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [2, 3] }, { name: 'w', dtype: 'float32', shape: [3, 4] }]);
    expect(graph.initializers.map((t) => t.name)).not.toContain('w');
    expect(before.initializers.map((t) => t.name)).toContain('w');
    const [w] = removed;
    const ref = await runGraph(before, { x });
    const out = await runGraph(graph, { x, w: f32(w!.dims, w!.data as Float32Array) });
    expect(closeness(out.y!, ref.y!)).toBeLessThanOrEqual(1);
  });

  it('names an unknown weight', () => {
    expect(() => promoteInitializerToInput(build(), ['nope'])).toThrow(GraphError);
    expect(() => promoteInitializerToInput(build(), ['nope'])).toThrow(/no initializer "nope" \(some that exist: w\)/);
  });
});

describe('when an intermediate value is exposed as an output', () => {
  it('adds one output with the inferred shape and returns the pre-softmax scores', async () => {
    const before = build();
    const { graph, changed } = runPasses(before, [exposeValueAsOutputPass(['blk/MatMul:0'])]);
    expect(changed).toEqual(['exposeValueAsOutput']);
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['y', [2, 4]], ['blk/MatMul:0', [2, 4]]]);
    expect(before.outputs).toHaveLength(1);
    const ref = await runGraph(before, { x });
    const out = await runGraph(graph, { x });
    expect(closeness(out.y!, ref.y!)).toBeLessThanOrEqual(1);
    const w = Array.from({ length: 12 }, (_, i) => Math.sin(i));
    const xs = Array.from(x.data as Float32Array);
    const scores = [0, 1].flatMap((r) => [0, 1, 2, 3].map((c) => [0, 1, 2].reduce((s, k) => s + xs[r * 3 + k]! * w[k * 4 + c]!, 0)));
    expect(closeness(out['blk/MatMul:0']!, scores)).toBeLessThanOrEqual(1);
  });

  it('names a value that does not exist', () => {
    expect(() => exposeValueAsOutput(build(), ['blk/Nope:0'])).toThrow(/graph "attn" has no value "blk\/Nope:0"/);
  });
});
