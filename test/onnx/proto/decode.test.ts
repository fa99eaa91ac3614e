// Round trips through decodeModel/encodeModel: typed payload fields, dtypes, symbolic dims, subgraphs, metadata.
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, GraphBuilder } from '../../../src/onnx/index';
import type { Model, TensorData } from '../../../src/onnx/index';
import { Writer } from '../../../src/onnx/proto/wire';
import { tinyModel } from './fixtures';
import { decodeTensor } from '../../../src/onnx/proto/decodeTensor';
import { DEFAULT_LIMITS } from '../../../src/onnx/proto/limits';
import { Reader } from '../../../src/onnx/proto/reader';

/** A ModelProto whose only initializer is the TensorProto bytes `tensor`. */
function modelWithTensor(tensor: Uint8Array): Uint8Array {
  const graph = new Writer().string(2, 'g').bytes(5, tensor).finish();
  return new Writer().int(1, 8).bytes(7, graph).bytes(8, new Writer().int(2, 17).finish()).finish();
}

describe('when decoding a model written by our encoder', () => {
  it('is byte-equal after decode → encode', () => {
    const bytes = encodeModel(tinyModel());
    const m = decodeModel(bytes);
    expect(encodeModel(m)).toEqual(bytes);
    expect(m.metadata).toEqual({ purpose: 'test' });
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['MatMul', 'Add', 'Identity']);
    expect(Array.from(m.graph.initializers[1]!.data as Float32Array)).toEqual([1, -1, 0.5, 2]);
  });

  it('keeps symbolic dims, every dtype, and nested graphs', () => {
    const m = tinyModel();
    m.graph.inputs[0]!.shape = ['batch', 3];
    m.graph.outputs[0]!.shape = ['batch', ''];
    const tensors: TensorData[] = [
      { name: 'h', dtype: 'float16', dims: [2], data: Uint16Array.from([0x3c00, 0xc000]) },
      { name: 'bf', dtype: 'bfloat16', dims: [1], data: Uint16Array.from([0x3f80]) },
      { name: 'i64', dtype: 'int64', dims: [2], data: BigInt64Array.from([-1n, 2n ** 62n]) },
      { name: 'u64', dtype: 'uint64', dims: [1], data: BigUint64Array.from([2n ** 64n - 1n]) },
      { name: 's', dtype: 'string', dims: [2], data: ['a', 'β'] },
      { name: 'bool', dtype: 'bool', dims: [3], data: Uint8Array.from([1, 0, 1]) },
      { name: 'd', dtype: 'float64', dims: [], data: Float64Array.from([Math.PI]) },
    ];
    m.graph.initializers.push(...tensors);
    const body = new GraphBuilder('body');
    body.output(body.input('z', 'float32', [1]), undefined);
    m.graph.nodes.push({ name: 'ifnode', opType: 'If', domain: '', inputs: ['bool'], outputs: ['o'], attributes: { then_branch: { type: 'graph', value: body.graph }, else_branch: { type: 'graph', value: body.graph } } });
    const bytes = encodeModel(m);
    const back = decodeModel(bytes);
    expect(back.graph.inputs[0]!.shape).toEqual(['batch', 3]);
    expect(back.graph.outputs[0]!.shape).toEqual(['batch', '']);
    expect(back.graph.initializers.slice(2)).toEqual(tensors);
    expect(back.graph.nodes[3]!.attributes.then_branch).toEqual({ type: 'graph', value: body.graph });
    expect(encodeModel(back)).toEqual(bytes);
  });
});

describe('when a tensor uses the typed repeated fields instead of raw_data', () => {
  const decodeOne = (t: Writer) => decodeModel(modelWithTensor(t.finish())).graph.initializers[0]!;

  it('reads float_data, int32_data (float16 bits), int64_data, double_data, uint64_data and string_data', () => {
    expect(decodeOne(new Writer().packedVarints(1, [2]).int(2, 1).packedFloats(4, [1.5, -2]).string(8, 'f')).data).toEqual(Float32Array.from([1.5, -2]));
    expect(decodeOne(new Writer().packedVarints(1, [2]).int(2, 10).packedVarints(5, [0x3c00, 0x7bff]).string(8, 'h')).data).toEqual(Uint16Array.from([0x3c00, 0x7bff]));
    expect(decodeOne(new Writer().packedVarints(1, [2]).int(2, 7).packedVarints(7, [-5, 7]).string(8, 'l')).data).toEqual(BigInt64Array.from([-5n, 7n]));
    expect(decodeOne(new Writer().int(1, 2).int(2, 6).int(5, -3).int(5, 4).string(8, 'unpacked')).data).toEqual(Int32Array.from([-3, 4]));
    const d = new Uint8Array(8);
    new DataView(d.buffer).setFloat64(0, 0.1, true);
    expect(decodeOne(new Writer().packedVarints(1, [1]).int(2, 11).bytes(10, d).string(8, 'd')).data).toEqual(Float64Array.from([0.1]));
    expect(decodeOne(new Writer().packedVarints(1, [1]).int(2, 13).packedVarints(11, [2n ** 64n - 2n]).string(8, 'u')).data).toEqual(BigUint64Array.from([2n ** 64n - 2n]));
    expect(decodeOne(new Writer().packedVarints(1, [2]).int(2, 8).string(6, 'x').string(6, 'yz').string(8, 's')).data).toEqual(['x', 'yz']);
  });
});

describe('when the model carries fields this project does not model', () => {
  const extra = (field: number) => new Writer().string(field, `unknown-${field}`).int(field + 1, 7).finish();

  it('keeps them at every message level and re-emits them byte-equal', () => {
    const m: Model = tinyModel();
    m.unknown = [extra(30)];
    m.graph.unknown = [extra(40)];
    m.graph.nodes[0]!.unknown = [extra(50)];
    m.graph.initializers[0]!.unknown = [extra(60)];
    m.graph.inputs[0]!.unknown = [extra(70)];
    const bytes = encodeModel(m);
    const back = decodeModel(bytes);
    expect(back.unknown).toEqual([new Writer().string(30, 'unknown-30').finish(), new Writer().int(31, 7).finish()]);
    expect(back.graph.unknown?.length).toBe(2);
    expect(back.graph.nodes[0]!.unknown?.length).toBe(2);
    expect(back.graph.initializers[0]!.unknown?.length).toBe(2);
    expect(back.graph.inputs[0]!.unknown?.length).toBe(2);
    expect(encodeModel(back)).toEqual(bytes);
  });

  it('keeps unknown fields placed before known ones and unrepresentable attributes (semantic round trip)', () => {
    const attrTensors = new Writer().string(1, 'weights').bytes(10, new Writer().int(2, 1).finish()).int(20, 9).finish(); // TENSORS
    const node = new Writer().int(99, 1).string(1, 'x').string(2, 'y').string(4, 'Custom').bytes(5, attrTensors).string(7, 'com.microsoft').finish();
    const graph = new Writer().int(77, 3).bytes(1, node).string(2, 'g').finish();
    const bytes = new Writer().int(55, 1).int(1, 8).bytes(7, graph).bytes(8, new Writer().int(2, 17).finish()).finish();
    const m = decodeModel(bytes);
    expect(m.unknown).toEqual([new Writer().int(55, 1).finish()]);
    expect(m.graph.unknown).toEqual([new Writer().int(77, 3).finish()]);
    expect(m.graph.nodes[0]!.attributes).toEqual({});
    expect(m.graph.nodes[0]!.unknown).toEqual([new Writer().bytes(5, attrTensors).finish(), new Writer().int(99, 1).finish()]);
    expect(decodeModel(encodeModel(m))).toEqual(m);
  });
});

describe('when a tensor declares other sizes than its bytes hold', () => {
  /** TensorProto: dims, data_type int64 (7), packed int64_data of `n` one-byte varints (value 1). */
  function int64Tensor(dims: number[], n: number): Uint8Array {
    const head: number[] = [];
    const varint = (v: number) => {
      for (; v >= 0x80; v = Math.floor(v / 128)) head.push((v % 128) | 0x80);
      head.push(v);
    };
    for (const d of dims) {
      head.push(0x08);
      varint(d);
    }
    head.push(0x10, 7, 0x3a);
    varint(n);
    const out = new Uint8Array(head.length + n).fill(1, head.length);
    out.set(head);
    return out;
  }

  it('counts packed values from the bytes and refuses a mismatch before decoding any (5 M values for dims [2])', () => {
    expect(() => decodeTensor(new Reader(int64Tensor([2], 5_000_000), 'initializer'), DEFAULT_LIMITS, undefined)).toThrow(/int64_data has 5000000 values for dims \[2\] \(2 elements\)/);
  });

  it('decodes unpacked values (one field per value) and packed runs in file order', () => {
    // dims [3], int64; int64_data unpacked 5, packed [6], unpacked 7
    const bytes = Uint8Array.of(0x08, 3, 0x10, 7, 0x38, 5, 0x3a, 1, 6, 0x38, 7);
    expect(Array.from(decodeTensor(new Reader(bytes, 'initializer'), DEFAULT_LIMITS, undefined).data as BigInt64Array)).toEqual([5n, 6n, 7n]);
    expect(() => decodeTensor(new Reader(Uint8Array.of(0x08, 2, 0x10, 7, 0x38, 5), 'initializer'), DEFAULT_LIMITS, undefined)).toThrow(/int64_data has 1 values for dims \[2\]/);
  });

  it('decodes a large packed int64_data straight into its typed array', () => {
    const t = decodeTensor(new Reader(int64Tensor([1000, 1000], 1_000_000), 'initializer'), DEFAULT_LIMITS, undefined);
    expect(t.data).toBeInstanceOf(BigInt64Array);
    expect((t.data as BigInt64Array).length).toBe(1_000_000);
    expect((t.data as BigInt64Array).every((v) => v === 1n)).toBe(true);
  });
});
