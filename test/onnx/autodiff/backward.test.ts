// Behaviour of the gradient walker: accumulation of fan-out, un-broadcasting, stop-gradient, the missing-rule
// error, zeros for unreachable wrt values, pruning, output order/names, and purity (input graph untouched).
import { describe, expect, it } from 'vitest';
import { GraphError, MissingGradientError } from '../../../src/lib/errors';
import { GraphBuilder, buildGradientGraph, encodeModel, op, stopGradient } from '../../../src/onnx/index';
import type { Graph } from '../../../src/onnx/index';
import { broadcastAxes } from '../../../src/onnx/autodiff/unbroadcast';
import type { HostTensor } from '../../../src/runtime/types';
import { closeness, f32, nodeOrt } from '../../helpers/ort';

async function run(graph: Graph, feeds: Record<string, HostTensor>): Promise<Record<string, number[]>> {
  const b = new GraphBuilder(graph.name);
  const s = await nodeOrt().createSession(graph.name, encodeModel({ ...b.toModel(), graph }));
  try {
    const out = await s.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from((v as HostTensor).data as Float32Array)]));
  } finally {
    await s.dispose();
  }
}

const snapshot = (g: Graph) => JSON.stringify(g, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
const sumAll = (v: Parameters<typeof op.ReduceSum>[0]) => op.ReduceSum(v, undefined, false);

describe('when a value fans out to several consumers', () => {
  it('sums the contributions: d/dx Σ(x·x + x) = 2x + 1', async () => {
    const b = new GraphBuilder('fanout');
    const x = b.input('x', 'float32', [3]);
    b.output(sumAll(op.Add(op.Mul(x, x), x)), 'loss');
    const { graph, grads } = buildGradientGraph(b.graph, { loss: 'loss', wrt: ['x'] });
    expect(graph.nodes.some((n) => n.name.startsWith('grad/sum/x/Add'))).toBe(true);
    const out = await run(graph, { x: f32([3], [1, -2, 0.5]) });
    expect(closeness(out[grads.x!]!, [3, -3, 2])).toBeLessThanOrEqual(1);
  });
});

describe('when an input was broadcast', () => {
  it('finds the broadcast axes of [2,3,4] from [3,1] and refuses non-broadcastable shapes', () => {
    expect(broadcastAxes([2, 3, 4], [3, 1])).toEqual([0, 2]);
    expect(broadcastAxes([2, 3], [2, 3])).toEqual([]);
    expect(() => broadcastAxes([2, 3], [4])).toThrow(GraphError);
  });

  it('reduces the gradient to the input shape: d/db Σ(a + b) for b [3] = column counts', async () => {
    const b = new GraphBuilder('unbroadcast');
    const a = b.input('a', 'float32', [2, 3]);
    const c = b.input('b', 'float32', [3]);
    b.output(sumAll(op.Mul(op.Add(a, c), a)), 'loss');
    const { graph, grads } = buildGradientGraph(b.graph, { loss: 'loss', wrt: ['b'] });
    expect(graph.outputs.find((o) => o.name === grads.b)?.shape).toEqual([3]);
    const out = await run(graph, { a: f32([2, 3], [1, 2, 3, 4, 5, 6]), b: f32([3], [0, 0, 0]) });
    expect(closeness(out[grads.b!]!, [5, 7, 9])).toBeLessThanOrEqual(1);
  });
});

describe('when part of the graph is detached with stopGradient', () => {
  it('blocks the gradient through the marked value: d/dx Σ(x · sg(x)) = x', async () => {
    const b = new GraphBuilder('stop');
    const x = b.input('x', 'float32', [3]);
    b.output(sumAll(op.Mul(x, stopGradient(x, 'detach'))), 'loss');
    const { graph, grads } = buildGradientGraph(b.graph, { loss: 'loss', wrt: ['x'] });
    const out = await run(graph, { x: f32([3], [1, -2, 4]) });
    expect(closeness(out[grads.x!]!, [1, -2, 4])).toBeLessThanOrEqual(1);
    expect(closeness(out.loss!, [21])).toBeLessThanOrEqual(1);
  });

  it('does not report missing rules behind a stop-gradient', () => {
    const b = new GraphBuilder('stopMissing');
    const x = b.input('x', 'float32', [4]);
    b.output(sumAll(op.Mul(x, stopGradient(op.ReduceProd(x, undefined, true)))), 'loss');
    expect(() => buildGradientGraph(b.graph, { loss: 'loss', wrt: ['x'] })).not.toThrow();
  });
});

describe('when ops on the path have no gradient rule', () => {
  const build = () => {
    const b = new GraphBuilder('missing');
    const x = b.input('x', 'float32', [4]);
    const w = b.input('w', 'float32', [4]);
    const at = b.constant([1, 3], 'int64', [2]);
    const onPath = op.ReduceProd(op.ScatterElements(op.Mul(x, w), at, op.Slice(w, [0], [2]), 0), undefined, false);
    const offPath = op.ReduceProd(x, undefined, false); // depends on x only, which is not differentiated
    b.output(op.Add(onPath, offPath), 'loss');
    return b;
  };

  it('throws one MissingGradientError listing every op type on the path, before emitting anything', () => {
    const b = build();
    const before = snapshot(b.graph);
    let error: unknown;
    try {
      buildGradientGraph(b.graph, { loss: 'loss', wrt: ['w'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingGradientError);
    const m = error as MissingGradientError;
    expect(m.opTypes).toEqual(['ReduceProd', 'ScatterElements']);
    expect(m.nodeNames).toHaveLength(2);
    expect(m.message).toMatch(/ReduceProd, ScatterElements.*rules\/<OpType>\.ts/);
    expect(snapshot(b.graph)).toBe(before);
  });
});

describe('when a node belongs to another domain', () => {
  it('never borrows the ai.onnx rule of the same op type and reports it qualified', () => {
    const b = new GraphBuilder('domain');
    const x = b.input('x', 'float32', [3]);
    const y = op.Tanh(x);
    b.output(sumAll(y), 'loss');
    const node = b.graph.nodes.find((n) => n.opType === 'Tanh')!;
    node.domain = 'com.microsoft';
    b.graph.valueInfo.push({ name: y.name, dtype: 'float32', shape: [3] });
    expect(() => buildGradientGraph(b.graph, { loss: 'loss', wrt: ['x'] })).toThrow(/com\.microsoft\.Tanh/);
  });
});

describe('when building a gradient graph', () => {
  const build = () => {
    const b = new GraphBuilder('mlp');
    const x = b.input('x', 'float32', [2, 3]);
    const w = b.input('w', 'float32', [3, 2]);
    const unused = b.input('unused', 'float32', [2]);
    const h = b.scope('layer', () => op.MatMul(x, w));
    b.output(op.Mul(unused, unused), 'side');
    b.output(sumAll(op.Mul(h, h)), 'loss');
    return b;
  };

  it('returns [loss, grad/<wrt>…, keepOutputs…] with readable node names and leaves the input graph alone', () => {
    const b = build();
    const before = snapshot(b.graph);
    const r = buildGradientGraph(b.graph, { loss: 'loss', wrt: ['w', 'unused'], keepOutputs: ['layer/MatMul:0'] });
    expect(snapshot(b.graph)).toBe(before);
    expect(r.graph.outputs.map((o) => o.name)).toEqual(['loss', 'grad/w', 'grad/unused', 'layer/MatMul:0']);
    expect(r.grads).toEqual({ w: 'grad/w', unused: 'grad/unused' });
    expect(r.graph.nodes.map((n) => n.name)).toContain('grad/layer/MatMul/MatMul');
    expect(r.graph.inputs.map((i) => i.name)).toEqual(['x', 'w', 'unused']);
  });

  it('prunes: no dx MatMul for a non-wrt input, no forward node that no output needs', () => {
    const r = buildGradientGraph(build().graph, { loss: 'loss', wrt: ['w'] });
    expect(r.graph.nodes.filter((n) => n.name.startsWith('grad/layer/MatMul/') && n.opType === 'MatMul')).toHaveLength(1);
    expect(r.graph.nodes.some((n) => n.name === 'output/side')).toBe(false);
  });

  it('gives zeros for a wrt value that does not reach the loss, and exact gradients otherwise', async () => {
    const r = buildGradientGraph(build().graph, { loss: 'loss', wrt: ['w', 'unused'] });
    const out = await run(r.graph, { x: f32([2, 3], [1, 0, 2, 0, 1, 1]), w: f32([3, 2], [1, 2, 3, 4, 5, 6]), unused: f32([2], [7, 8]) });
    expect(out['grad/unused']).toEqual([0, 0]);
    // h = x·w = [[11,14],[8,10]]; dL/dw = xᵀ·2h
    expect(closeness(out['grad/w']!, [22, 28, 16, 20, 60, 76])).toBeLessThanOrEqual(1);
  });

  it('refuses a non-scalar loss, an unknown wrt and an integer wrt with a GraphError naming it', () => {
    const b = build();
    expect(() => buildGradientGraph(b.graph, { loss: 'layer/MatMul:0', wrt: ['w'] })).toThrow(/must be one float element.*float32\[2,2\]/);
    expect(() => buildGradientGraph(b.graph, { loss: 'loss', wrt: ['nope'] })).toThrow(/"nope" is not a value/);
    const c = new GraphBuilder('intWrt');
    const ids = c.input('ids', 'int64', [2]);
    c.output(sumAll(op.Gather(c.input('t', 'float32', [3, 2]), ids)), 'loss');
    expect(() => buildGradientGraph(c.graph, { loss: 'loss', wrt: ['ids'] })).toThrow(/dtype int64/);
  });
});
