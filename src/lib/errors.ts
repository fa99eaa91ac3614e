// Typed errors of DisenStudio. Every message names the thing, shows the bad value and says what to do.
// No I/O here; other folders throw these and the store turns them into user-visible status.
// Reference: docs/house-style.md §11 "Errors, and where they are handled".

/** Turns anything thrown into one readable line (an Error's message, else its string form). */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `describeError(e)` as a sentence: ends with a full stop, so that more text can follow it. */
export function describeErrorSentence(e: unknown): string {
  const text = describeError(e).trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The text a worker posts (and a page shows) for anything thrown: a StudioError's own message (it already names
 * the thing and says what to do); any other Error with its class name first (a TypeError from deep inside is a
 * bug report, and its class says so); anything else as a string.
 */
export function postedErrorMessage(e: unknown): string {
  if (e instanceof StudioError) return e.message;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Base of every error the project throws on purpose. `code` is stable and safe to switch on. */
export class StudioError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Graph build or validation failure; carries the node name where known. */
export class GraphError extends StudioError {
  readonly nodeName: string | undefined;
  constructor(message: string, nodeName?: string) {
    super('graph', nodeName ? `[${nodeName}] ${message}` : message);
    this.nodeName = nodeName;
  }
}

/** Model bytes that cannot be trusted: truncated, garbage, unknown opset, missing external data, absurd shapes. */
export class ModelFormatError extends StudioError {
  readonly reason: 'truncated' | 'garbage' | 'opset' | 'external-data' | 'shape' | 'dtype' | 'limit';
  constructor(reason: ModelFormatError['reason'], message: string) {
    super(`model-format/${reason}`, message);
    this.reason = reason;
  }
}

/** Thrown before anything runs: every op type on the path to the wrt values that has no gradient rule. */
export class MissingGradientError extends StudioError {
  readonly opTypes: string[];
  readonly nodeNames: string[];
  constructor(opTypes: string[], nodeNames: string[]) {
    super(
      'missing-gradient',
      `No gradient rule for op type(s) ${opTypes.join(', ')} on the path from the trainable values to the loss ` +
        `(nodes: ${nodeNames.slice(0, 8).join(', ')}${nodeNames.length > 8 ? ', …' : ''}). ` +
        `Add a rule in src/onnx/autodiff/rules/<OpType>.ts and list it in rules/index.ts, or mark the path with stopGradient.`,
    );
    this.opTypes = opTypes;
    this.nodeNames = nodeNames;
  }
}

/** An onnxruntime failure, wrapped with the session name. */
export class RuntimeFailure extends StudioError {
  readonly sessionName: string;
  constructor(sessionName: string, message: string, cause?: unknown) {
    super('runtime', `session "${sessionName}": ${message}`);
    this.sessionName = sessionName;
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** A model asset is missing, unreadable or does not match its manifest. */
export class ModelAssetError extends StudioError {
  constructor(message: string) {
    super('model-asset', message);
  }
}

/** WebGPU was requested explicitly and is not available; `reason` says why. */
export class WebGpuUnavailableError extends StudioError {
  constructor(reason: string) {
    super('webgpu-unavailable', `WebGPU is not available: ${reason}`);
  }
}

/** A caller passed a config value or argument outside its documented set; the message lists the valid ones. */
export class ConfigError extends StudioError {
  constructor(message: string) {
    super('config', message);
  }
}

/** Image bytes that cannot be decoded (bad signature, CRC mismatch, unsupported PNG variant, truncation). */
export class ImageFormatError extends StudioError {
  constructor(message: string) {
    super('image-format', message);
  }
}

/**
 * A short, bounded rendering of an untrusted value for an error message: strings quoted and cut at `max`
 * characters, numbers and booleans as written, arrays and objects by kind and size only. Never recurses (a value
 * nested thousands deep cannot overflow the stack) and never shows more than `max` characters of a file.
 */
export function showValue(v: unknown, max = 60): string {
  if (typeof v === 'string') return JSON.stringify(v.length > max ? `${v.slice(0, max)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** A path inside a bundle, pack or project file that is not a plain relative name inside its folder (src/lib/paths.ts). */
export class UnsafePathError extends StudioError {
  readonly file: string;
  readonly field: string;
  constructor(file: string, field: string, reason: string, value: unknown) {
    super('unsafe-path', `${file}: "${field}" must be a plain relative file name inside the folder (${reason}); got ${showValue(value, 80)}. Nothing was read or written.`);
    this.file = file;
    this.field = field;
  }
}
