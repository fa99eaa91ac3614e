// groupNormToInstanceNorm: structure after the rewrite, and onnxruntime-node output of the rewritten graph vs a
// plain TypeScript GroupNorm (opset 21 per-channel and opset 18 per-group scale/bias).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { decodeModel, encodeModel, fixDimsPass, foldConstantsPass, GraphBuilder, groupNormToInstanceNorm, groupNormToInstanceNormPass, op, prunePass, runPasses } from '../../../src/onnx/index';
import { GraphError } from '../../../src/lib/errors';
import { closeness, f32 } from '../../helpers/ort';
import { modelOf, runGraph } from './helpers';

/** GroupNorm reference, per-channel affine: y = γ_c (x − μ_g)/sqrt(σ²_g + ε) + β_c (ONNX GroupNormalization-21). */
function groupNormRef(x: Float32Array, [n, c, hw]: number[], g: number, gamma: number[], beta: number[], eps: number): number[] {
  const out = new Array<number>(x.length);
  const per = (c! / g) * hw!;
  for (let b = 0; b < n!; b++) {
    for (let k = 0; k < g; k++) {
      const start = (b * c! + k * (c! / g)) * hw!;
      const xs = Array.from(x.subarray(start, start + per));
      const mean = xs.reduce((s, v) => s + v, 0) / per;
      const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / per;
      xs.forEach((v, i) => {
        const ch = k * (c! / g) + Math.floor(i / hw!);
        out[start + i] = (gamma[ch] as number) * ((v - mean) / Math.sqrt(variance + eps)) + (beta[ch] as number);
      });
    }
  }
  return out;
}

const gamma = [1.5, -0.5, 2, 0.25];
const beta = [0.1, 0.2, -0.3, 1];

function build(scaleLen: number, isScaleInput = false) {
  const b = new GraphBuilder('gn');
  const x = b.input('x', 'float32', [2, 4, 3, 3]);
  const sc = isScaleInput ? b.input('gamma', 'float32', [scaleLen]) : b.param('gamma', 'float32', [scaleLen], Float32Array.from(gamma.slice(0, scaleLen)));
  const bi = b.param('beta', 'float32', [scaleLen], Float32Array.from(beta.slice(0, scaleLen)));
  b.output(op.Relu(op.GroupNormalization(x, sc, bi, 2, 1e-3)), 'y');
  return b.graph;
}

describe('when a graph contains GroupNormalization with per-channel scale/bias (opset 21)', () => {
  const x = new Rng(21).normalArray(72);

  it('leaves no GroupNormalization and adds Reshape/InstanceNormalization/Shape/Reshape/Mul/Add', () => {
    const before = build(4);
    const { graph, changed } = groupNormToInstanceNormPass.run(before);
    expect(changed).toBe(true);
    expect(before.nodes.map((n) => n.opType)).toContain('GroupNormalization');
    expect(graph.nodes.map((n) => n.opType)).toEqual(['Reshape', 'InstanceNormalization', 'Shape', 'Reshape', 'Mul', 'Add', 'Relu', 'Identity']);
    expect(graph.initializers.find((t) => t.name === 'GroupNormalization/scale_c11')?.dims).toEqual([4, 1, 1]);
    expect(groupNormToInstanceNormPass.run(graph).changed).toBe(false);
  });

  it('matches the TypeScript GroupNorm in onnxruntime-node', async () => {
    const graph = groupNormToInstanceNorm(build(4));
    const out = await runGraph(graph, { x: f32([2, 4, 3, 3], x) });
    const ref = groupNormRef(x, [2, 4, 9], 2, gamma, beta, 1e-3).map((v) => Math.max(v, 0));
    expect(closeness(out.y!, ref, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
  });

  it('reshapes a scale that is a graph input with a Reshape node', async () => {
    const graph = groupNormToInstanceNorm(build(4, true));
    expect(graph.nodes.filter((n) => n.opType === 'Reshape')).toHaveLength(3);
    const out = await runGraph(graph, { x: f32([2, 4, 3, 3], x), gamma: f32([4], gamma) });
    const ref = groupNormRef(x, [2, 4, 9], 2, gamma, beta, 1e-3).map((v) => Math.max(v, 0));
    expect(closeness(out.y!, ref, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
  });
});

describe('when scale/bias are per group (opset 18)', () => {
  it('expands them to per-channel values', async () => {
    const x = new Rng(18).normalArray(72);
    const graph = groupNormToInstanceNorm(build(2));
    expect(Array.from(graph.initializers.find((t) => t.name === 'GroupNormalization/scale_c11')!.data as Float32Array)).toEqual([1.5, 1.5, -0.5, -0.5]);
    const out = await runGraph(graph, { x: f32([2, 4, 3, 3], x) });
    const ref = groupNormRef(x, [2, 4, 9], 2, [1.5, 1.5, -0.5, -0.5], [0.1, 0.1, 0.2, 0.2], 1e-3).map((v) => Math.max(v, 0));
    expect(closeness(out.y!, ref, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
  });
});

describe('when the GroupNorm input has a symbolic batch dim (as exported)', () => {
  const exported = () => {
    const g = build(4);
    g.inputs[0]!.shape = ['batch', 4, 3, 3];
    g.outputs[0]!.shape = ['batch', 4, 3, 3];
    return decodeModel(encodeModel(modelOf(g))).graph;
  };

  it('asks for fixDims when the input shape cannot be inferred', () => {
    const g = exported();
    g.inputs[0]!.shape = undefined;
    expect(() => groupNormToInstanceNorm(g)).toThrow(GraphError);
    expect(() => groupNormToInstanceNorm(g)).toThrow(/\[GroupNormalization\] GroupNormalization input "x" needs a known rank.*fixDims/);
  });

  it('runs after decode → fixDims → groupNormToInstanceNorm → foldConstants → prune', async () => {
    const x = new Rng(7).normalArray(72);
    const { graph, changed } = runPasses(exported(), [fixDimsPass({ batch: 2 }), groupNormToInstanceNormPass, foldConstantsPass, prunePass]);
    expect(changed).toEqual(['fixDims', 'groupNormToInstanceNorm', 'foldConstants']);
    expect(graph.nodes.map((n) => n.opType)).toEqual(['Reshape', 'InstanceNormalization', 'Reshape', 'Mul', 'Add', 'Relu', 'Identity']);
    const out = await runGraph(graph, { x: f32([2, 4, 3, 3], x) });
    const ref = groupNormRef(x, [2, 4, 9], 2, gamma, beta, 1e-3).map((v) => Math.max(v, 0));
    expect(closeness(out.y!, ref, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
  });
});
