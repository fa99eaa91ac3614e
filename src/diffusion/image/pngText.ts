// PNG text chunks: tEXt (Latin-1), zTXt (Latin-1, zlib) and iTXt (UTF-8, optionally zlib), encoded as
// Pillow's PngInfo.add_text does (tEXt when the value is Latin-1, else uncompressed iTXt). Pure; no I/O.
// Reference: PNG spec §11.3.4 (keyword 1–79 Latin-1 bytes, no NUL, no leading/trailing space).
import { ConfigError, ImageFormatError } from '../../lib/errors';
import { zlibInflate } from './zlib';

/** Largest decompressed text chunk accepted (zTXt/iTXt bombs throw). */
const MAX_TEXT_BYTES = 16 << 20;

const isLatin1 = (s: string): boolean => /^[\u0000-\u00ff]*$/.test(s);
const latin1Bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** Latin-1 bytes → text in 8 KB pieces (spreading a whole chunk overflows the stack from about 124 KB). */
function latin1Text(b: Uint8Array): string {
  let out = '';
  for (let at = 0; at < b.length; at += 8192) out += String.fromCharCode(...b.subarray(at, at + 8192));
  return out;
}

function checkKeyword(key: string): void {
  if (key.length < 1 || key.length > 79 || !isLatin1(key) || key.includes('\0') || key !== key.trim()) {
    throw new ConfigError(`PNG text keyword ${JSON.stringify(key)} must be 1–79 Latin-1 characters without NUL or outer spaces (e.g. "parameters").`);
  }
}

/** One text entry as a chunk [type, data]: tEXt when `value` is Latin-1, else iTXt (uncompressed UTF-8). */
export function encodeTextChunk(key: string, value: string): [type: string, data: Uint8Array] {
  checkKeyword(key);
  if (isLatin1(value)) {
    const k = latin1Bytes(key);
    const v = latin1Bytes(value);
    const out = new Uint8Array(k.length + 1 + v.length);
    out.set(k);
    out.set(v, k.length + 1);
    return ['tEXt', out];
  }
  const k = latin1Bytes(key);
  const v = new TextEncoder().encode(value);
  // keyword \0 compression-flag(0) compression-method(0) language-tag "" \0 translated-keyword "" \0 text
  const out = new Uint8Array(k.length + 5 + v.length);
  out.set(k);
  out.set(v, k.length + 5);
  return ['iTXt', out];
}

function splitNul(data: Uint8Array, from: number, chunk: string): [string, number] {
  const at = data.indexOf(0, from);
  if (at < 0) throw new ImageFormatError(`${chunk} chunk has no NUL separator.`);
  return [latin1Text(data.subarray(from, at)), at + 1];
}

/** Decodes a tEXt, zTXt or iTXt chunk to [keyword, text]; throws ImageFormatError when malformed. */
export function decodeTextChunk(type: 'tEXt' | 'zTXt' | 'iTXt', data: Uint8Array): [string, string] {
  const [key, rest] = splitNul(data, 0, type);
  if (type === 'tEXt') return [key, latin1Text(data.subarray(rest))];
  if (type === 'zTXt') {
    if (data[rest] !== 0) throw new ImageFormatError(`zTXt "${key}" uses compression method ${String(data[rest])}; only 0 exists.`);
    return [key, latin1Text(zlibInflate(data.subarray(rest + 1), MAX_TEXT_BYTES))];
  }
  const isCompressed = data[rest] === 1;
  const [, afterLang] = splitNul(data, rest + 2, type);
  const [, afterTranslated] = splitNul(data, afterLang, type);
  const body = data.subarray(afterTranslated);
  const bytes = isCompressed ? zlibInflate(body, MAX_TEXT_BYTES) : body;
  return [key, new TextDecoder().decode(bytes)];
}
