// GraphProto / NodeProto / AttributeProto / ValueInfoProto → IR, for untrusted bytes. Fields this project does
// not model stay as raw bytes in `unknown`; an attribute it cannot represent (TENSORS, GRAPHS, SPARSE_TENSOR,
// ref_attr_name, int64 beyond 2^53, non-UTF-8 strings) is kept whole as raw NodeProto field 5. Pure.
// Reference: onnx.proto3 GraphProto, NodeProto, AttributeProto, ValueInfoProto, TypeProto.Tensor.
import { ModelFormatError } from '../../lib/errors';
import { DTYPE_BY_CODE } from '../ir/dtype';
import type { AttrValue, Dim, DType, Graph, Node, ValueInfo } from '../ir/types';
import { decodeTensor } from './decodeTensor';
import { ATTR, ATTR_KIND_BY_CODE, DIM, GRAPH, NODE, SHAPE, TENSOR_TYPE, TYPE, VALUE_INFO } from './fields';
import type { DecodeLimits } from './limits';
import { decodeUtf8, readFields, readRepeated, Reader, setOwn } from './reader';

/** Shared decoding state: limits, external files, and the current graph nesting depth. */
export type DecodeContext = { limits: DecodeLimits; externalData: Record<string, Uint8Array> | undefined; depth: number };

export function decodeGraph(r: Reader, ctx: DecodeContext): Graph {
  if (ctx.depth > ctx.limits.maxGraphDepth) {
    throw new ModelFormatError('limit', `${r.path}: graphs nested more than ${ctx.limits.maxGraphDepth} deep (If/Loop bodies)`);
  }
  const g: Graph = { name: '', nodes: [], inputs: [], outputs: [], initializers: [], valueInfo: [] };
  const inner = { ...ctx, depth: ctx.depth + 1 };
  const unknown = readFields(r, (f, w) => {
    const sub = (what: string) => (r.expect(w, 2, what), r.sub(`${r.path}.${what}[${g.nodes.length}]`));
    switch (f) {
      case GRAPH.node: g.nodes.push(decodeNode(sub('node'), inner)); return true;
      case GRAPH.name: r.expect(w, 2, 'name'); g.name = r.string(); return true;
      case GRAPH.initializer: g.initializers.push(decodeTensor(sub('initializer'), ctx.limits, ctx.externalData)); return true;
      case GRAPH.docString: r.expect(w, 2, 'doc_string'); g.docString = r.string(); return true;
      case GRAPH.input: g.inputs.push(decodeValueInfo(sub('input'))); return true;
      case GRAPH.output: g.outputs.push(decodeValueInfo(sub('output'))); return true;
      case GRAPH.valueInfo: g.valueInfo.push(decodeValueInfo(sub('value_info'))); return true;
      default: return false;
    }
  });
  if (unknown.length) g.unknown = unknown;
  return g;
}

function decodeNode(r: Reader, ctx: DecodeContext): Node {
  const n: Node = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: {} };
  const unknown: Uint8Array[] = [];
  const rest = readFields(r, (f, w, start) => {
    if (f === NODE.attribute) {
      r.expect(w, 2, 'attribute');
      const a = decodeAttr(r.sub(`${r.path}(${n.opType || n.name || '?'}).attribute`), ctx);
      if (a && !Object.prototype.hasOwnProperty.call(n.attributes, a.name)) setOwn(n.attributes, a.name, a.value);
      else unknown.push(r.buf.slice(start, r.pos));
      return true;
    }
    const s = () => (r.expect(w, 2, `node field ${f}`), r.string());
    switch (f) {
      case NODE.input: n.inputs.push(s()); return true;
      case NODE.output: n.outputs.push(s()); return true;
      case NODE.name: n.name = s(); return true;
      case NODE.opType: n.opType = s(); return true;
      case NODE.docString: n.docString = s(); return true;
      case NODE.domain: n.domain = s(); return true;
      default: return false;
    }
  });
  if (!n.opType) throw new ModelFormatError('garbage', `${r.path}: node "${n.name}" has no op_type`);
  if (unknown.length || rest.length) n.unknown = [...unknown, ...rest];
  return n;
}

type Raw = { name: string; type?: number; f?: number; i?: bigint; s?: Uint8Array; t?: Reader; g?: Reader; floats: number[]; ints: bigint[]; strings: Uint8Array[]; isOther: boolean };

/** One attribute, or undefined when it cannot be represented in the IR (the caller keeps it raw). */
function decodeAttr(r: Reader, ctx: DecodeContext): { name: string; value: AttrValue } | undefined {
  const a: Raw = { name: '', floats: [], ints: [], strings: [], isOther: false };
  const unknown = readFields(r, (f, w) => {
    switch (f) {
      case ATTR.name: r.expect(w, 2, 'name'); a.name = r.string(); return true;
      case ATTR.type: r.expect(w, 0, 'type'); a.type = r.int(); return true;
      case ATTR.f: r.expect(w, 5, 'f'); a.f = r.fixed32().getFloat32(0, true); return true;
      case ATTR.i: r.expect(w, 0, 'i'); a.i = r.int64(); return true;
      case ATTR.s: r.expect(w, 2, 's'); a.s = r.bytes(); return true;
      case ATTR.t: r.expect(w, 2, 't'); a.t = r.sub(`${r.path}.t`); return true;
      case ATTR.g: r.expect(w, 2, 'g'); a.g = r.sub(`${r.path}.g`); return true;
      case ATTR.floats: readRepeated(r, w, 5, 'floats', (x) => a.floats.push(x.fixed32().getFloat32(0, true))); return true;
      case ATTR.ints: readRepeated(r, w, 0, 'ints', (x) => a.ints.push(x.int64())); return true;
      case ATTR.strings: r.expect(w, 2, 'strings'); a.strings.push(r.bytes()); return true;
      default: return false;
    }
  });
  if (!a.name) throw new ModelFormatError('garbage', `${r.path}: attribute without a name`);
  if (unknown.length) return undefined;
  const kind = a.type !== undefined ? ATTR_KIND_BY_CODE[a.type] : guessKind(a);
  if (!kind) return undefined;
  const value = attrValue(kind, a, ctx, r.path);
  return value && { name: a.name, value };
}

function guessKind(a: Raw): AttrValue['type'] | undefined {
  if (a.f !== undefined) return 'float';
  if (a.i !== undefined) return 'int';
  if (a.s !== undefined) return 'string';
  if (a.t) return 'tensor';
  if (a.g) return 'graph';
  if (a.floats.length) return 'floats';
  if (a.ints.length) return 'ints';
  if (a.strings.length) return 'strings';
  return undefined;
}

function attrValue(kind: AttrValue['type'], a: Raw, ctx: DecodeContext, path: string): AttrValue | undefined {
  const safe = (v: bigint) => v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER);
  switch (kind) {
    case 'float': return { type: 'float', value: a.f ?? 0 };
    case 'int': return safe(a.i ?? 0n) ? { type: 'int', value: Number(a.i ?? 0n) } : undefined;
    case 'string': { const s = utf8(a.s ?? new Uint8Array()); return s === undefined ? undefined : { type: 'string', value: s }; }
    case 'floats': return { type: 'floats', value: a.floats };
    case 'ints': return a.ints.every(safe) ? { type: 'ints', value: a.ints.map(Number) } : undefined;
    case 'strings': { const ss = a.strings.map(utf8); return ss.every((s) => s !== undefined) ? { type: 'strings', value: ss as string[] } : undefined; }
    case 'tensor': if (!a.t) throw new ModelFormatError('garbage', `${path}: TENSOR attribute "${a.name}" has no t`); return { type: 'tensor', value: decodeTensor(a.t, ctx.limits, ctx.externalData) };
    case 'graph': if (!a.g) throw new ModelFormatError('garbage', `${path}: GRAPH attribute "${a.name}" has no g`); return { type: 'graph', value: decodeGraph(a.g, ctx) };
  }
}

const utf8 = decodeUtf8;

/** ValueInfoProto with a tensor type. Sequence/map/optional types are rejected (not used by this project). */
export function decodeValueInfo(r: Reader): ValueInfo {
  let name = '';
  let docString: string | undefined;
  let type: { dtype: DType; shape: Dim[] | undefined } | undefined;
  const unknown = readFields(r, (f, w) => {
    if (f === VALUE_INFO.name) return r.expect(w, 2, 'name'), (name = r.string()), true;
    if (f === VALUE_INFO.docString) return r.expect(w, 2, 'doc_string'), (docString = r.string()), true;
    if (f !== VALUE_INFO.type) return false;
    r.expect(w, 2, 'type');
    type = decodeType(r.sub(`${r.path}.type`), () => name);
    return true;
  });
  if (!type) throw new ModelFormatError('dtype', `${r.path}: value "${name}" has no tensor type`);
  const vi: ValueInfo = { name, dtype: type.dtype, shape: type.shape };
  if (docString !== undefined) vi.docString = docString;
  if (unknown.length) vi.unknown = unknown;
  return vi;
}

/** TypeProto → dtype and shape. Unmodelled nested fields (denotation) are dropped: documented limitation. */
function decodeType(r: Reader, name: () => string): { dtype: DType; shape: Dim[] | undefined } {
  let code = 0;
  let shape: Dim[] | undefined;
  let isTensor = false;
  readFields(r, (f, w) => {
    if (f !== TYPE.tensorType) return false;
    isTensor = true;
    r.expect(w, 2, 'tensor_type');
    const t = r.sub(`${r.path}.tensor_type`);
    readFields(t, (tf, tw) => {
      if (tf === TENSOR_TYPE.elemType) return t.expect(tw, 0, 'elem_type'), (code = t.int()), true;
      if (tf !== TENSOR_TYPE.shape) return false;
      t.expect(tw, 2, 'shape');
      shape = decodeShape(t.sub(`${t.path}.shape`));
      return true;
    });
    return true;
  });
  if (!isTensor) throw new ModelFormatError('dtype', `${r.path}: value "${name()}" is not a tensor (sequence/map/optional types are not supported)`);
  const dtype = DTYPE_BY_CODE[code];
  if (!dtype) throw new ModelFormatError('dtype', `${r.path}: value "${name()}" has elem_type ${code}, which this project cannot read`);
  return { dtype, shape };
}

function decodeShape(r: Reader): Dim[] {
  const dims: Dim[] = [];
  readFields(r, (f, w) => {
    if (f !== SHAPE.dim) return false;
    r.expect(w, 2, 'dim');
    const d = r.sub(`${r.path}.dim[${dims.length}]`);
    let dim: Dim = '';
    readFields(d, (df, dw) => {
      if (df === DIM.dimValue) {
        d.expect(dw, 0, 'dim_value');
        dim = d.int();
        if (dim < 0) throw new ModelFormatError('shape', `${d.path}: negative dim_value ${dim}`);
        return true;
      }
      if (df === DIM.dimParam) return d.expect(dw, 2, 'dim_param'), (dim = d.string()), true;
      return false;
    });
    dims.push(dim);
    return true;
  });
  return dims;
}

