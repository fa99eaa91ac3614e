// Untrusted bytes: every malformed input is a typed ModelFormatError with a reason; validateModel names nodes.
import { describe, expect, it } from 'vitest';
import { GraphError, ModelFormatError } from '../../../src/lib/errors';
import { decodeModel, encodeModel, validateModel } from '../../../src/onnx/index';
import type { Model } from '../../../src/onnx/index';
import { Writer } from '../../../src/onnx/proto/wire';
import { tinyModel } from './fixtures';

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelFormatError) return `${e.reason}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

const opset = (version: number, domain = '') => new Writer().string(1, domain).int(2, version).finish();
const withGraph = (graph: Uint8Array, ...opsets: Uint8Array[]) => {
  const w = new Writer().int(1, 8).bytes(7, graph);
  for (const o of opsets.length ? opsets : [opset(17)]) w.bytes(8, o);
  return w.finish();
};
const graphWithTensor = (t: Writer) => new Writer().string(2, 'g').bytes(5, t.finish()).finish();

describe('when the bytes are malformed', () => {
  const good = encodeModel(tinyModel());

  it('reports empty, truncated and garbage input', () => {
    expect(reasonOf(() => decodeModel(new Uint8Array()))).toMatch(/^truncated: the model file is empty/);
    expect(reasonOf(() => decodeModel(good.subarray(0, good.length - 20)))).toMatch(/^truncated: /);
    expect(reasonOf(() => decodeModel(new TextEncoder().encode('<html>not a model</html>')))).toMatch(/^(garbage|truncated): /);
  });

  it('reports varints longer than 10 bytes and lengths beyond the buffer', () => {
    expect(reasonOf(() => decodeModel(Uint8Array.from([0x08, ...new Array(11).fill(0xff), 0x01])))).toMatch(/^garbage: .*varint longer than 10 bytes/);
    expect(reasonOf(() => decodeModel(Uint8Array.from([0x3a, 0xff, 0xff, 0x03, 0x00])))).toMatch(/^truncated: .*length 65535 .* runs past the end/);
  });

  it('reports wrong wire types and group wire types by field', () => {
    expect(reasonOf(() => decodeModel(Uint8Array.from([0x38, 0x01])))).toMatch(/^garbage: ModelProto: graph has wire type varint, expected length-delimited/);
    expect(reasonOf(() => decodeModel(Uint8Array.from([0x0b, 0x0c])))).toMatch(/^garbage: .*wire type group-start/);
  });

  it('limits nested graph depth', () => {
    let g = new Writer().string(2, 'leaf').finish();
    for (let i = 0; i < 20; i++) {
      const attr = new Writer().string(1, 'then_branch').bytes(6, g).int(20, 5).finish();
      const node = new Writer().string(1, 'c').string(2, `o${i}`).string(4, 'If').bytes(5, attr).finish();
      g = new Writer().bytes(1, node).string(2, `g${i}`).finish();
    }
    expect(reasonOf(() => decodeModel(withGraph(g)))).toMatch(/^limit: .*nested more than 16 deep/);
    expect(() => decodeModel(withGraph(g), { limits: { maxGraphDepth: 32 } })).not.toThrow();
  });
});

describe('when the opset or domain is unsupported', () => {
  const g = new Writer().string(2, 'g').finish();
  it('rejects ai.onnx opsets outside 7..21 and unknown domains', () => {
    expect(reasonOf(() => decodeModel(withGraph(g, opset(22))))).toMatch(/^opset: ai.onnx opset 22 is not supported/);
    expect(reasonOf(() => decodeModel(withGraph(g, opset(6))))).toMatch(/^opset: ai.onnx opset 6/);
    expect(reasonOf(() => decodeModel(withGraph(g, opset(17), opset(1, 'ai.onnx.ml'))))).toMatch(/^opset: opset_import domain "ai.onnx.ml"/);
    expect(reasonOf(() => decodeModel(withGraph(g, opset(17), opset(1, 'com.microsoft'))))).toBe('no error');
    const node = new Writer().string(4, 'Foo').string(7, 'org.evil').finish();
    expect(reasonOf(() => decodeModel(withGraph(new Writer().bytes(1, node).finish())))).toMatch(/^opset: node "" \(Foo\) uses domain "org.evil"/);
  });
});

describe('when a tensor has an absurd shape or a payload of the wrong size', () => {
  it('rejects negative dims, huge element counts, byte limits and raw_data size mismatches', () => {
    const t = (dims: number[], raw: number) => new Writer().packedVarints(1, dims).int(2, 1).string(8, 'w').bytes(9, new Uint8Array(raw));
    expect(reasonOf(() => decodeModel(withGraph(graphWithTensor(t([-1, 2], 0)))))).toMatch(/^shape: .*tensor "w" has a negative dim/);
    expect(reasonOf(() => decodeModel(withGraph(graphWithTensor(t([65536, 65536], 0)))))).toMatch(/^shape: .*more than 2147483648 elements/);
    expect(reasonOf(() => decodeModel(withGraph(graphWithTensor(t([2, 3], 20)))))).toMatch(/^shape: .*raw_data has 20 bytes, dims \[2,3\] × float32 need 24/);
    expect(reasonOf(() => decodeModel(withGraph(graphWithTensor(t([4], 16))), { limits: { maxTensorBytes: 8 } }))).toMatch(/^limit: .*16 bytes, above the limit of 8/);
    expect(reasonOf(() => decodeModel(withGraph(graphWithTensor(new Writer().int(1, 2).int(2, 99)))))).toMatch(/^dtype: .*data_type 99/);
    expect(reasonOf(() => decodeModel(withGraph(graphWithTensor(new Writer().int(1, 3).int(2, 1).packedFloats(4, [1])))))).toMatch(/^shape: .*float_data has 1 values for dims \[3\]/);
  });
});

describe('when the graph is not well formed', () => {
  const broken = (edit: (m: Model) => void) => {
    const m = tinyModel();
    edit(m);
    return () => validateModel(decodeModel(encodeModel(m)));
  };
  it('names the node that uses an undefined value or redefines one, and missing outputs', () => {
    expect(broken(() => undefined)).not.toThrow();
    expect(broken((m) => m.graph.nodes.reverse())).toThrow(GraphError);
    expect(broken((m) => m.graph.nodes.reverse())).toThrow(/\[output\/y\] .*Identity input "Add:0" is not defined before this node/);
    expect(broken((m) => (m.graph.nodes[1]!.outputs = ['MatMul:0']))).toThrow(/\[Add\] .*value "MatMul:0" is defined twice/);
    expect(broken((m) => m.graph.outputs.push({ name: 'ghost', dtype: 'float32', shape: [1] }))).toThrow(/graph output "ghost" is produced by no node/);
    expect(broken((m) => (m.graph.nodes[0]!.domain = 'com.microsoft'))).toThrow(/\[MatMul\] .*domain "com.microsoft", which the model does not import/);
  });
});

describe('when keys from the file collide with JavaScript object internals', () => {
  it('stores "__proto__" metadata and attribute names as plain own keys', () => {
    const attr = new Writer().string(1, '__proto__').int(3, 5).int(20, 2).finish();
    const node = new Writer().string(1, 'x').string(2, 'y').string(4, 'Identity').bytes(5, attr).finish();
    const meta = new Writer().string(1, '__proto__').string(2, 'polluted').finish();
    const bytes = new Writer().int(1, 8).bytes(7, new Writer().bytes(1, node).finish()).bytes(8, opset(17)).bytes(14, meta).finish();
    const m = decodeModel(bytes);
    expect(Object.getPrototypeOf(m.metadata)).toBe(Object.prototype);
    expect(Object.entries(m.metadata)).toEqual([['__proto__', 'polluted']]);
    expect(Object.entries(m.graph.nodes[0]!.attributes)).toEqual([['__proto__', { type: 'int', value: 5 }]]);
    expect(Object.entries(decodeModel(encodeModel(m)).metadata)).toEqual([['__proto__', 'polluted']]);
  });
});
