// Concat with more than MAX_CONCAT_INPUTS inputs becomes nested Concats (JSEP WebGPU returns wrong values
// for 8+ inputs); the result is unchanged, checked in onnxruntime-node.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { MAX_CONCAT_INPUTS } from '../../../../src/onnx/build/opset/Concat';
import { f32, runBuilder } from '../../../helpers/ort';

describe('when concatenating more inputs than one WebGPU Concat takes', () => {
  it('nests Concat nodes of at most MAX_CONCAT_INPUTS inputs and keeps the values', async () => {
    const b = new GraphBuilder('concat-nesting');
    const xs = Array.from({ length: 9 }, (_, i) => b.input(`x${i}`, 'float32', [1, 2]));
    b.output(op.Concat(xs, 0), 'y');
    const concats = b.graph.nodes.filter((n) => n.opType === 'Concat');
    expect(concats.length).toBe(3);
    expect(Math.max(...concats.map((n) => n.inputs.length))).toBeLessThanOrEqual(MAX_CONCAT_INPUTS);
    expect(b.get('y').shape).toEqual([9, 2]);
    const feeds = Object.fromEntries(xs.map((_, i) => [`x${i}`, f32([1, 2], [i, 10 + i])]));
    const out = await runBuilder(b, feeds);
    expect(Array.from(out.y!.data as Float32Array)).toEqual(Array.from({ length: 9 }, (_, i) => [i, 10 + i]).flat());
  });
});
