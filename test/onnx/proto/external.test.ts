// External data: locations survive decode, files load on request, missing files fail clearly, and
// externalize() output runs in onnxruntime-node through SessionOptions.externalData.
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../src/lib/errors';
import { decodeModel, encodeModel, externalize } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';
import { closeness, f32, nodeOrt } from '../../helpers/ort';
import { tinyModel, tinyRef } from './fixtures';

describe('when initializers are moved to an external blob', () => {
  const { model, files } = externalize(tinyModel(), 32, { location: 'tiny.data' });

  it('moves only tensors at or above the threshold, at aligned offsets', () => {
    const [w, b] = model.graph.initializers;
    expect(w!.external).toEqual({ location: 'tiny.data', offset: 0, length: 48 });
    expect(w!.data).toBeUndefined();
    expect(b!.external).toBeUndefined();
    expect(files['tiny.data']!.length).toBe(48);
  });

  it('keeps the location on decode and loads the bytes when the file is passed', () => {
    const bytes = encodeModel(model);
    const lazy = decodeModel(bytes);
    expect(lazy.graph.initializers[0]!.data).toBeUndefined();
    expect(lazy.graph.initializers[0]!.external).toEqual({ location: 'tiny.data', offset: 0, length: 48 });
    const loaded = decodeModel(bytes, { externalData: files });
    expect(Array.from(loaded.graph.initializers[0]!.data as Float32Array)).toEqual(Array.from(tinyModel().graph.initializers[0]!.data as Float32Array));
    expect(encodeModel(loaded)).toEqual(bytes);
  });

  it('names the tensor and the file when the file is missing or too short', () => {
    const bytes = encodeModel(model);
    expect(() => decodeModel(bytes, { externalData: {} })).toThrow(ModelFormatError);
    expect(() => decodeModel(bytes, { externalData: {} })).toThrow(/tensor "w" is stored in external file "tiny.data"/);
    expect(() => decodeModel(bytes, { externalData: { 'tiny.data': new Uint8Array(10) } })).toThrow(/beyond the end of "tiny.data"/);
  });

  it('rejects locations that escape the model folder', () => {
    const bad = encodeModel({ ...model, graph: { ...model.graph, initializers: model.graph.initializers.map((t) => (t.external ? { ...t, external: { ...t.external, location: '../etc/passwd' } } : t)) } });
    expect(() => decodeModel(bad)).toThrow(/must be a relative path/);
  });

  it('runs in onnxruntime-node with the blob passed as external data', async () => {
    const s = await nodeOrt().createSession('external', encodeModel(model), { externalData: files });
    try {
      const x = [0.5, -1, 2, 0.1, 0.2, 0.3];
      const out = await s.run({ x: f32([2, 3], x) });
      expect(closeness((out.y as HostTensor).data as Float32Array, tinyRef(x))).toBeLessThanOrEqual(1);
    } finally {
      await s.dispose();
    }
  });
});
