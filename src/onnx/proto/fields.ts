// ONNX protobuf field numbers used by decode.ts and encode.ts. Pure constants, no logic.
// Reference: onnx/onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto,
// TypeProto, TensorShapeProto, OperatorSetIdProto, StringStringEntryProto). Numbers not listed are kept raw.

export const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, domain: 4, modelVersion: 5, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
export const OPSET_ID = { domain: 1, version: 2 } as const;
export const ENTRY = { key: 1, value: 2 } as const;
export const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;
export const ATTR = { name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, floats: 7, ints: 8, strings: 9, type: 20 } as const;
export const TENSOR = {
  dims: 1, dataType: 2, floatData: 4, int32Data: 5, stringData: 6, int64Data: 7, name: 8, rawData: 9,
  doubleData: 10, uint64Data: 11, externalData: 13, dataLocation: 14,
} as const;
export const VALUE_INFO = { name: 1, type: 2, docString: 3 } as const;
export const TYPE = { tensorType: 1 } as const;
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
export const SHAPE = { dim: 1 } as const;
export const DIM = { dimValue: 1, dimParam: 2 } as const;

/** AttributeProto.AttributeType value → IR attribute kind (the ones this project models). */
export const ATTR_KIND_BY_CODE: Record<number, 'float' | 'int' | 'string' | 'tensor' | 'graph' | 'floats' | 'ints' | 'strings'> = {
  1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 6: 'floats', 7: 'ints', 8: 'strings',
};

/** TensorProto.DataLocation.EXTERNAL */
export const DATA_LOCATION_EXTERNAL = 1;
