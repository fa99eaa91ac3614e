// The planner replays onnxruntime's own execution order (reverse DFS from the leaf nodes): on a hand-built
// diamond, against the hand-derived order, and on the tiny model's full training step, against the order ORT's
// profiler records (tools/bench/ortRunOrder.ts, CPU EP, graph optimizations off).
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op } from '../../../src/onnx/index';
import { stepGraph } from '../../../src/train/index';
import { ortExecutionOrder } from '../../../src/train/memory/ortOrder';
import { benchTrainGraph, BENCH_CONFIGS } from '../../../tools/bench/memoryConfigs';
import { ortRunOrder } from '../../../tools/bench/ortRunOrder';

describe('ortExecutionOrder', () => {
  it('walks the last leaf first and, below each node, its highest-index producer first', () => {
    const b = new GraphBuilder('diamond');
    const x = b.input('x', 'float32', [4]);
    const a = op.Relu(x, 'a'); // node 0
    const c = op.Exp(x, 'c'); // node 1
    const d = op.Add(a, c, 'd'); // node 2, reads nodes 0 and 1
    b.output(d, 'y'); // node 3 (Identity)
    b.output(op.Neg(a, 'n'), 'z'); // nodes 4 (Neg) and 5 (Identity)
    // leaves 3 and 5; 5 is walked first: Neg needs a → [a, n, z]; then y: d needs c (higher index) then a (done).
    expect(ortExecutionOrder(b.graph).map((n) => n.name)).toEqual(['a', 'n', 'output/z', 'c', 'd', 'output/y']);
  });
});

describe('against onnxruntime-node', () => {
  it('matches the kernel order ORT runs for the tiny model training step (every node)', async () => {
    const cfg = BENCH_CONFIGS.find((c) => c.id === 'tiny-8px-b1');
    if (!cfg) throw new Error('tiny-8px-b1 is missing from tools/bench/memoryConfigs.ts');
    const graph = stepGraph(benchTrainGraph(cfg));
    const ran = await ortRunOrder(graph);
    expect(ran.length).toBe(graph.nodes.length);
    expect(ortExecutionOrder(graph).map((n) => n.name)).toEqual(ran);
  }, 900_000);
});
