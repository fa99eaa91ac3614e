// Smoke test of the builder core: a MatMul+Softmax graph runs in onnxruntime-node and in onnxruntime-web wasm.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op } from '../../src/onnx/index';
import { GraphError } from '../../src/lib/errors';
import { closeness, f32, runBuilder, wasmOrt } from '../helpers/ort';

describe('when building a small attention-like graph', () => {
  const build = () => {
    const b = new GraphBuilder('smoke');
    const x = b.input('x', 'float32', [2, 3]);
    const w = b.param('w', 'float32', [3, 4], Float32Array.from([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1]));
    const y = b.scope('attn', () => op.Softmax(op.MatMul(x, w)));
    b.output(y, 'y');
    return b;
  };
  const ref = (x: number[]) => {
    const w = [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1];
    const out: number[] = [];
    for (let r = 0; r < 2; r++) {
      const row = [0, 1, 2, 3].map((c) => [0, 1, 2].reduce((s, k) => s + (x[r * 3 + k] as number) * (w[k * 4 + c] as number), 0));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const z = e.reduce((s, v) => s + v, 0);
      out.push(...e.map((v) => v / z));
    }
    return out;
  };
  const x = [0.5, -1, 2, 0.1, 0.2, 0.3];

  it('infers shapes and readable node names', () => {
    const b = build();
    expect(b.get('y').shape).toEqual([2, 4]);
    expect(b.graph.nodes.map((n) => n.name)).toEqual(['attn/MatMul', 'attn/Softmax', 'output/y']);
  });

  it('matches the reference in onnxruntime-node', async () => {
    const out = await runBuilder(build(), { x: f32([2, 3], x) });
    expect(closeness(out.y!.data as Float32Array, ref(x))).toBeLessThanOrEqual(1);
  });

  it('matches the reference in onnxruntime-web wasm', async () => {
    const out = await runBuilder(build(), { x: f32([2, 3], x) }, await wasmOrt());
    expect(closeness(out.y!.data as Float32Array, ref(x))).toBeLessThanOrEqual(1);
  });

  it('fails at build time naming the node and the bad shapes', () => {
    const b = new GraphBuilder('bad');
    const a = b.input('a', 'float32', [2, 3]);
    const c = b.input('c', 'float32', [4, 5]);
    expect(() => b.scope('blk', () => op.MatMul(a, c))).toThrow(GraphError);
    expect(() => b.scope('blk', () => op.MatMul(a, c))).toThrow(/blk\/MatMul.*inner dimensions differ: 3 vs 4.*float32\[2,3\], float32\[4,5\]/);
  });
});
