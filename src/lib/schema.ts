// Field checks for untrusted JSON (bundle.json, pack.json, project files, model configs): each check names the
// file and the field, shows the bad value bounded (showValue), and throws the caller's typed error. One reader per
// file kind builds on these; nothing here knows a file kind. JSON is parsed with parseJsonText, whose message says
// where the text broke without quoting it (V8's own message quotes the text, which may be any file).
import { showValue, StudioError } from './errors';
import { checkInsidePath } from './paths';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deepest nesting accepted in a JSON file (the project's files nest at most 6 deep). */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON text, counted without parsing (so a 100,000-deep text costs one pass and no stack). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * JSON.parse with a message that names the file and never quotes it; refuses nesting deeper than MAX_JSON_DEPTH.
 * @param fail builds the caller's typed error from a sentence
 */
export function parseJsonText(text: string, file: string, fail: (message: string) => StudioError): unknown {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw fail(`${file} nests ${depth} levels deep (at most ${MAX_JSON_DEPTH})`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw fail(`${file} is not JSON${at ? ` (broken at character ${at})` : ''}`);
  }
}

/** Reads fields of one object of `file`; every failure is `fail("<file>: "<field>" …")`. */
export class Fields {
  constructor(
    readonly file: string,
    private readonly fail: (message: string) => StudioError,
  ) {}

  error(field: string, what: string, value: unknown): StudioError {
    return this.fail(`${this.file}: "${field}" ${what}, got ${showValue(value)}`);
  }

  object(v: unknown, field: string): Json {
    if (!isObject(v)) throw this.error(field, 'must be an object', v);
    return v;
  }

  string(v: unknown, field: string, maxLength = 1024): string {
    if (typeof v !== 'string' || v.length > maxLength) throw this.error(field, `must be a string of at most ${maxLength} characters`, v);
    return v;
  }

  number(v: unknown, field: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw this.error(field, `must be a number in [${min}, ${max}]`, v);
    return v;
  }

  int(v: unknown, field: string, min: number, max: number): number {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw this.error(field, `must be an integer in [${min}, ${max}]`, v);
    return v as number;
  }

  oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
    if (!allowed.includes(v as T)) throw this.error(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
    return v as T;
  }

  list(v: unknown, field: string, maxLength: number, minLength = 0): unknown[] {
    if (!Array.isArray(v) || v.length < minLength || v.length > maxLength) throw this.error(field, `must list ${minLength}–${maxLength} items`, v);
    return v;
  }

  /** A list of non-negative integers (a tensor shape), at most 8 long, each at most 2^31. */
  shape(v: unknown, field: string): number[] {
    return this.list(v, field, 8).map((d, i) => this.int(d, `${field}[${i}]`, 0, 2 ** 31));
  }

  /** A path inside the file's folder (src/lib/paths.ts); throws UnsafePathError naming file and field. */
  path(v: unknown, field: string): string {
    return checkInsidePath(v, this.file, field);
  }

  /** A map of string → string (state feeds, grad inputs), at most `max` entries. */
  stringMap(v: unknown, field: string, max = 100_000): Record<string, string> {
    const o = this.object(v, field);
    const keys = Object.keys(o);
    if (keys.length > max) throw this.error(field, `must have at most ${max} entries`, v);
    for (const k of keys) this.string(o[k], `${field}.${k.slice(0, 60)}`);
    return o as Record<string, string>;
  }
}
