// ONNX ModelProto bytes → IR Model, hand-written for untrusted input: every failure is a ModelFormatError
// (truncated, garbage, opset, dtype, shape, limit, external-data), never a crash or a hang. Fields this
// project does not model are kept raw in `unknown` and re-emitted by encodeModel. Pure, no I/O.
// Reference: onnx.proto3 ModelProto (fields 1–8, 14), OperatorSetIdProto, StringStringEntryProto.
import { ModelFormatError } from '../../lib/errors';
import type { Graph, Model, OpsetImport } from '../ir/types';
import { decodeGraph } from './decodeGraph';
import { ENTRY, MODEL, OPSET_ID } from './fields';
import { DEFAULT_LIMITS } from './limits';
import type { DecodeLimits, DecodeOptions } from './limits';
import { readFields, Reader, setOwn } from './reader';

/**
 * Decodes ONNX model bytes.
 * @param bytes the .onnx file
 * @param options externalData: location → file bytes (loads external tensors); limits: see DecodeLimits
 * @throws ModelFormatError with `reason` naming what is wrong and where
 * @example const model = decodeModel(await readFile('unet.onnx'), { externalData: { 'unet.onnx.data': blob } });
 */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): Model {
  const limits: DecodeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError('garbage', 'decodeModel expects a Uint8Array');
  if (bytes.length === 0) throw new ModelFormatError('truncated', 'the model file is empty');
  const r = new Reader(bytes, 'ModelProto');
  const m: Model = { irVersion: 0, opsetImports: [], producerName: '', producerVersion: '', domain: '', modelVersion: 0, docString: '', graph: undefined as unknown as Graph, metadata: {} };
  let graph: Graph | undefined;
  const unknown = readFields(r, (f, w) => {
    const s = (what: string) => (r.expect(w, 2, what), r.string());
    switch (f) {
      case MODEL.irVersion: r.expect(w, 0, 'ir_version'); m.irVersion = r.int(); return true;
      case MODEL.producerName: m.producerName = s('producer_name'); return true;
      case MODEL.producerVersion: m.producerVersion = s('producer_version'); return true;
      case MODEL.domain: m.domain = s('domain'); return true;
      case MODEL.modelVersion: r.expect(w, 0, 'model_version'); m.modelVersion = r.int(); return true;
      case MODEL.docString: m.docString = s('doc_string'); return true;
      case MODEL.graph:
        r.expect(w, 2, 'graph');
        graph = decodeGraph(r.sub('ModelProto.graph'), { limits, externalData: options.externalData, depth: 0 });
        return true;
      case MODEL.opsetImport: r.expect(w, 2, 'opset_import'); m.opsetImports.push(decodeOpset(r.sub('ModelProto.opset_import'))); return true;
      case MODEL.metadataProps: r.expect(w, 2, 'metadata_props'); decodeEntry(r.sub('ModelProto.metadata_props'), m.metadata); return true;
      default: return false;
    }
  });
  if (!graph) throw new ModelFormatError('truncated', 'ModelProto has no graph (field 7): the file is truncated or not an ONNX model');
  m.graph = graph;
  if (unknown.length) m.unknown = unknown;
  checkOpsets(m, limits);
  return m;
}

function decodeOpset(r: Reader): OpsetImport {
  const o: OpsetImport = { domain: '', version: 0 };
  readFields(r, (f, w) => {
    if (f === OPSET_ID.domain) return r.expect(w, 2, 'domain'), (o.domain = r.string()), true;
    if (f === OPSET_ID.version) return r.expect(w, 0, 'version'), (o.version = r.int()), true;
    return false;
  });
  return o;
}

function decodeEntry(r: Reader, into: Record<string, string>): void {
  let key = '';
  let value = '';
  readFields(r, (f, w) => {
    if (f === ENTRY.key) return r.expect(w, 2, 'key'), (key = r.string()), true;
    if (f === ENTRY.value) return r.expect(w, 2, 'value'), (value = r.string()), true;
    return false;
  });
  setOwn(into, key, value);
}

/** Rejects unsupported opsets and domains, in opset_import and on every node (subgraphs included). */
function checkOpsets(m: Model, limits: DecodeLimits): void {
  if (m.opsetImports.length === 0) throw new ModelFormatError('opset', 'the model has no opset_import; expected ai.onnx with a version');
  for (const o of m.opsetImports) {
    if (!limits.domains.includes(o.domain)) {
      throw new ModelFormatError('opset', `opset_import domain "${o.domain}" (version ${o.version}) is not supported; supported domains: ${limits.domains.map((d) => `"${d}"`).join(', ')}`);
    }
    const isOnnx = o.domain === '' || o.domain === 'ai.onnx';
    if (isOnnx && (o.version < limits.minOpset || o.version > limits.maxOpset)) {
      throw new ModelFormatError('opset', `ai.onnx opset ${o.version} is not supported; re-export the model with an opset in ${limits.minOpset}..${limits.maxOpset}`);
    }
  }
  const visit = (g: Graph): void => {
    for (const n of g.nodes) {
      if (!limits.domains.includes(n.domain)) {
        throw new ModelFormatError('opset', `node "${n.name}" (${n.opType}) uses domain "${n.domain}", which is not supported; supported: ${limits.domains.map((d) => `"${d}"`).join(', ')}`);
      }
      for (const a of Object.values(n.attributes)) if (a.type === 'graph') visit(a.value);
    }
  };
  visit(m.graph);
}
