// IR → ONNX ModelProto bytes. Pure. Field numbers cited from onnx.proto3 (ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto, TypeProto). Tensors are written as raw_data (little endian),
// strings as string_data; external tensors keep their location entries and write no payload.
import { bytesOfTyped, CODE_BY_DTYPE } from '../ir/dtype';
import type { AttrValue, Graph, Model, Node, TensorData, ValueInfo } from '../ir/types';
import { Writer } from './wire';

const ATTR_TYPE: Record<AttrValue['type'], number> = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8 };

/** Serializes a model to ONNX protobuf bytes. */
export function encodeModel(model: Model): Uint8Array {
  const w = new Writer();
  w.int(1, model.irVersion); // ir_version
  if (model.producerName) w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.domain) w.string(4, model.domain);
  if (model.modelVersion) w.int(5, model.modelVersion);
  if (model.docString) w.string(6, model.docString);
  w.bytes(7, encodeGraph(model.graph)); // graph
  for (const op of model.opsetImports) {
    const o = new Writer();
    if (op.domain) o.string(1, op.domain);
    o.int(2, op.version);
    w.bytes(8, o.finish()); // opset_import
  }
  for (const [k, v] of Object.entries(model.metadata)) w.bytes(14, new Writer().string(1, k).string(2, v).finish());
  for (const u of model.unknown ?? []) w.raw(u);
  return w.finish();
}

export function encodeGraph(g: Graph): Uint8Array {
  const w = new Writer();
  for (const n of g.nodes) w.bytes(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.bytes(5, encodeTensor(t));
  if (g.docString) w.string(10, g.docString);
  for (const v of g.inputs) w.bytes(11, encodeValueInfo(v));
  for (const v of g.outputs) w.bytes(12, encodeValueInfo(v));
  for (const v of g.valueInfo) w.bytes(13, encodeValueInfo(v));
  for (const u of g.unknown ?? []) w.raw(u);
  return w.finish();
}

function encodeNode(n: Node): Uint8Array {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) w.bytes(5, encodeAttr(name, a));
  if (n.docString) w.string(6, n.docString);
  if (n.domain) w.string(7, n.domain);
  for (const u of n.unknown ?? []) w.raw(u);
  return w.finish();
}

function encodeAttr(name: string, a: AttrValue): Uint8Array {
  const w = new Writer();
  w.string(1, name);
  switch (a.type) {
    case 'float': w.float(2, a.value); break;
    case 'int': w.int(3, a.value); break;
    case 'string': w.string(4, a.value); break;
    case 'tensor': w.bytes(5, encodeTensor(a.value)); break;
    case 'graph': w.bytes(6, encodeGraph(a.value)); break;
    case 'floats': w.packedFloats(7, a.value); break;
    case 'ints': w.packedVarints(8, a.value); break;
    case 'strings': for (const s of a.value) w.string(9, s); break;
  }
  w.int(20, ATTR_TYPE[a.type]);
  return w.finish();
}

export function encodeTensor(t: TensorData): Uint8Array {
  const w = new Writer();
  if (t.dims.length) w.packedVarints(1, t.dims);
  w.int(2, CODE_BY_DTYPE[t.dtype]);
  if (t.name) w.string(8, t.name);
  if (t.external) {
    const e = t.external;
    w.bytes(13, new Writer().string(1, 'location').string(2, e.location).finish());
    w.bytes(13, new Writer().string(1, 'offset').string(2, String(e.offset)).finish());
    w.bytes(13, new Writer().string(1, 'length').string(2, String(e.length)).finish());
    w.int(14, 1); // data_location = EXTERNAL
  } else if (t.data !== undefined) {
    if (Array.isArray(t.data)) for (const s of t.data) w.string(6, s);
    else w.bytes(9, bytesOfTyped(t.data as Exclude<typeof t.data, string[]>)); // raw_data
  }
  for (const u of t.unknown ?? []) w.raw(u);
  return w.finish();
}

function encodeValueInfo(v: ValueInfo): Uint8Array {
  const shape = new Writer();
  for (const d of v.shape ?? []) {
    const dim = new Writer();
    if (typeof d === 'number') dim.int(1, d);
    else if (d) dim.string(2, d); // '' = unknown dim: an empty Dimension
    shape.bytes(1, dim.finish());
  }
  const tensorType = new Writer().int(1, CODE_BY_DTYPE[v.dtype]);
  if (v.shape) tensorType.bytes(2, shape.finish());
  const type = new Writer().bytes(1, tensorType.finish()).finish();
  const w = new Writer().string(1, v.name).bytes(2, type);
  if (v.docString) w.string(3, v.docString);
  for (const u of v.unknown ?? []) w.raw(u);
  return w.finish();
}
