// The one ModelProto wrapper around a graph: IR version, opsets and producer fields as every model this project
// builds writes them (GraphBuilder.toModel, training phases, bundles, probes, tools). Pure data; no I/O.
import { STUDIO_VERSION } from '../../lib/version';
import { DEFAULT_IR_VERSION, DEFAULT_OPSET } from './types';
import type { Graph, Model, OpsetImport } from './types';

export type ModelOptions = {
  /** default "disenstudio" */
  producerName?: string;
  /** ai.onnx opset (default DEFAULT_OPSET); ignored when `opsetImports` is given */
  opset?: number;
  /** every opset import (e.g. ai.onnx + com.microsoft) */
  opsetImports?: readonly OpsetImport[];
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
};

/**
 * A model around `graph`, IR version DEFAULT_IR_VERSION, producer "disenstudio" at STUDIO_VERSION.
 * @example encodeModel(modelOf(builder.graph, { docString: 'bundle phase forward' }))
 */
export function modelOf(graph: Graph, options: ModelOptions = {}): Model {
  return {
    irVersion: DEFAULT_IR_VERSION,
    opsetImports: options.opsetImports ? options.opsetImports.map((o) => ({ ...o })) : [{ domain: '', version: options.opset ?? DEFAULT_OPSET }],
    producerName: options.producerName ?? 'disenstudio',
    producerVersion: STUDIO_VERSION,
    domain: '',
    modelVersion: 1,
    docString: options.docString ?? '',
    graph,
    metadata: { ...(options.metadata ?? {}) },
  };
}
