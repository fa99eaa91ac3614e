// In-memory IR of an ONNX model: graph, nodes, values, initializers, opset imports.
// Pure data (plain objects), no onnxruntime, no DOM. Field meanings follow onnx.proto3 (ModelProto, GraphProto,
// NodeProto, TensorProto, AttributeProto); field numbers live only in src/onnx/proto/.

/** ONNX element types this project reads and writes; names match onnxruntime's tensor type strings. */
export type DType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

/** A dimension: a concrete size, or a symbolic name (dim_param) such as "batch". */
export type Dim = number | string;

/** Where an initializer's bytes live when they are stored outside the model file (onnx external data). */
export type ExternalLocation = { location: string; offset: number; length: number };

/**
 * A constant tensor. `data` is the decoded payload:
 * float32 → Float32Array, float64 → Float64Array, int32/int16/int8/uint8/uint16/bool → matching typed array
 * (bool as Uint8Array), int64/uint64 → BigInt64Array/BigUint64Array, float16/bfloat16 → Uint16Array of bits,
 * string → string[]. When `external` is set and the bytes were not loaded, `data` is undefined.
 */
export type TensorData = {
  name: string;
  dtype: DType;
  dims: number[];
  data: TypedData | undefined;
  external?: ExternalLocation;
  /** Raw bytes of fields this project does not understand, kept for round trips. */
  unknown?: Uint8Array[];
};

export type TypedData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

/** A typed, shaped value declaration (graph input/output or value_info). Shape undefined = unknown rank. */
export type ValueInfo = {
  name: string;
  dtype: DType;
  shape: Dim[] | undefined;
  docString?: string;
  unknown?: Uint8Array[];
};

/** Attribute values, discriminated by ONNX AttributeType. */
export type AttrValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: TensorData }
  | { type: 'graph'; value: Graph }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] };

/** One operator application. Empty string in `inputs` marks an omitted optional input. */
export type Node = {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** attribute name → value */
  attributes: Record<string, AttrValue>;
  docString?: string;
  unknown?: Uint8Array[];
};

export type Graph = {
  name: string;
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: TensorData[];
  valueInfo: ValueInfo[];
  docString?: string;
  unknown?: Uint8Array[];
};

export type OpsetImport = { domain: string; version: number };

export type Model = {
  irVersion: number;
  opsetImports: OpsetImport[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph: Graph;
  /** metadata_props key → value */
  metadata: Record<string, string>;
  unknown?: Uint8Array[];
};

/** The opset this project builds against (ai.onnx). onnxruntime 1.30 supports it fully. */
export const DEFAULT_OPSET = 17;
/** IR version written with DEFAULT_OPSET. */
export const DEFAULT_IR_VERSION = 8;
