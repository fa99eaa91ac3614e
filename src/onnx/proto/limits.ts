// Limits and options for decoding untrusted ONNX bytes (decode.ts). Pure data, no I/O.
// Defaults: ai.onnx opset 7..21, domains '', 'ai.onnx', 'com.microsoft', 2^31 elements per tensor.

/** Caps that keep a hostile file from exhausting memory or the stack. */
export type DecodeLimits = {
  /** deepest nesting of graphs inside node attributes (If/Loop/Scan bodies) */
  maxGraphDepth: number;
  /** largest element count of one tensor (product of dims) */
  maxElements: number;
  /** largest byte size of one tensor payload, inline or external */
  maxTensorBytes: number;
  /** lowest and highest accepted ai.onnx opset version */
  minOpset: number;
  maxOpset: number;
  /** operator-set domains accepted in opset_import and on nodes ('' is ai.onnx) */
  domains: readonly string[];
};

export const DEFAULT_LIMITS: DecodeLimits = {
  maxGraphDepth: 16,
  maxElements: 2 ** 31,
  maxTensorBytes: 2 ** 32,
  minOpset: 7,
  maxOpset: 21,
  domains: ['', 'ai.onnx', 'com.microsoft'],
};

export type DecodeOptions = {
  /**
   * External data files: location as written in the model → the file's bytes. When given, every external
   * tensor is loaded into `data` and a missing file is an error; when absent, external tensors keep `data`
   * undefined (pass the files to the runtime instead).
   */
  externalData?: Record<string, Uint8Array>;
  limits?: Partial<DecodeLimits>;
};
