// Decoding a model written by the official onnx Python package (test/fixtures/onnx/make_fixtures.py, onnx 1.12):
// typed payload fields, a Constant tensor attribute, an If subgraph, symbolic dims and external data. The
// decoded and re-encoded model must give onnxruntime-node the same results as the original file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, validateModel } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';
import { nodeOrt } from '../../helpers/ort';

const dir = new URL('../../fixtures/onnx/', import.meta.url);
const bytes = new Uint8Array(readFileSync(new URL('reference.onnx', dir)));
const files = { 'reference.weights.bin': new Uint8Array(readFileSync(new URL('reference.weights.bin', dir))) };

async function run(model: Uint8Array, cond: boolean): Promise<Record<string, number[]>> {
  const s = await nodeOrt().createSession('reference', model, { externalData: files });
  try {
    const out = await s.run({ x: { dtype: 'float32', dims: [2, 3], data: Float32Array.from([0.5, -1, 2, 0.1, 0.2, 0.3]) }, cond: { dtype: 'bool', dims: [], data: Uint8Array.from([cond ? 1 : 0]) } });
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from((v as HostTensor).data as Float32Array)]));
  } finally {
    await s.dispose();
  }
}

describe('when decoding a model written by the onnx Python package', () => {
  it('reads every field this project models', () => {
    const m = decodeModel(bytes, { externalData: files });
    expect(m.producerName).toBe('onnx-python');
    expect(m.modelVersion).toBe(3);
    expect(m.metadata).toEqual({ purpose: 'decode-fixture' });
    expect(m.graph.docString).toBe('decode fixture');
    expect(m.graph.inputs.map((v) => [v.name, v.dtype, v.shape])).toEqual([['x', 'float32', ['batch', 3]], ['cond', 'bool', []]]);
    expect(m.graph.valueInfo[0]).toEqual({ name: 'm', dtype: 'float32', shape: ['batch', 4] });
    const [w, h, wExt] = m.graph.initializers;
    expect(Array.from(w!.data as Float32Array)).toEqual(Array.from(Float32Array.from({ length: 12 }, (_, i) => i / 10 - 0.5)));
    expect(h!.data).toEqual(Uint16Array.from([0x3c00, 0xc100]));
    expect(wExt!.external).toEqual({ location: 'reference.weights.bin', offset: 0, length: 64 });
    expect(Array.from(wExt!.data as Float32Array).slice(0, 3)).toEqual([-1, -0.875, -0.75]);
    const constant = m.graph.nodes[1]!.attributes.value;
    expect(constant?.type === 'tensor' && Array.from(constant.value.data as Float32Array)).toEqual([1, -1, 0.5, 2]);
    expect(m.graph.nodes[0]!.docString).toBe('first matmul');
    expect(m.graph.nodes[4]!.attributes.then_branch?.type).toBe('graph');
    expect(m.graph.nodes[5]!.attributes.to).toEqual({ type: 'int', value: 1 });
    expect(() => validateModel(m)).not.toThrow();
  });

  it('re-encodes to a model that decodes equal and runs the same in onnxruntime-node', async () => {
    const m = decodeModel(bytes);
    const again = encodeModel(m);
    expect(decodeModel(again)).toEqual(m);
    for (const cond of [true, false]) {
      const ref = await run(bytes, cond);
      const out = await run(again, cond);
      expect(out).toEqual(ref);
      expect(ref.h32).toEqual([1, -2.5]);
    }
  });
});
