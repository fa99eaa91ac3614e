// topoSortPass and stableNamesPass: shuffled nodes are put back in a valid order (onnxruntime-node then gives the
// same numbers), cycles are named, and unnamed nodes get stable `<scope>/<OpType>_<k>` names.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { GraphBuilder, op, runPasses, stableNamesPass, topoSortPass, topologicalSort, validateGraph } from '../../../src/onnx/index';
import type { Graph } from '../../../src/onnx/index';
import { closeness, f32 } from '../../helpers/ort';
import { runGraph } from './helpers';

function build(): Graph {
  const b = new GraphBuilder('order');
  const x = b.input('x', 'float32', [2, 3]);
  const h = b.scope('blk', () => op.Relu(op.Add(x, b.scalar(0.5))));
  b.output(op.Softmax(op.Mul(h, h)), 'y');
  return b.graph;
}
const x = f32([2, 3], [0.5, -1, 2, 0.1, 0.2, 0.3]);

describe('when nodes are out of order', () => {
  it('sorts them back, stably, and the graph runs with the same result', async () => {
    const sorted = build();
    const shuffled = { ...sorted, nodes: [...sorted.nodes].reverse() };
    expect(() => validateGraph(shuffled)).toThrow(GraphError);
    const { graph, changed } = topoSortPass.run(shuffled);
    expect(changed).toBe(true);
    expect(graph.nodes.map((n) => n.name)).toEqual(sorted.nodes.map((n) => n.name));
    expect(topoSortPass.run(graph).changed).toBe(false);
    const ref = await runGraph(sorted, { x });
    const out = await runGraph(graph, { x });
    expect(closeness(out.y!, ref.y!)).toBeLessThanOrEqual(1);
  });

  it('names a node on a cycle', () => {
    const g = build();
    g.nodes[0]!.inputs[0] = g.nodes[1]!.outputs[0]!;
    expect(() => topologicalSort(g)).toThrow(/\[blk\/(Add|Relu)\] graph "order" has a cycle/);
  });
});

describe('when nodes have no names', () => {
  it('names them from the scope of their first output and op type, stably', async () => {
    const g = build();
    const unnamed = { ...g, nodes: g.nodes.map((n) => ({ ...n, name: '' })) };
    unnamed.nodes[4]!.name = 'keep-me';
    const { graph, changed } = runPasses(unnamed, [stableNamesPass]);
    expect(changed).toEqual(['stableNames']);
    expect(graph.nodes.map((n) => n.name)).toEqual(['blk/Add_0', 'blk/Relu_0', 'Mul_0', 'Softmax_0', 'keep-me']);
    expect(stableNamesPass.run(unnamed).graph.nodes.map((n) => n.name)).toEqual(graph.nodes.map((n) => n.name));
    expect(stableNamesPass.run(graph).changed).toBe(false);
    const out = await runGraph(graph, { x });
    expect(out.y).toHaveLength(6);
  });
});
