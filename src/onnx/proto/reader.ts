// Bounds-checked protobuf wire reader for untrusted bytes: every read checks the message end, varints stop at
// 10 bytes, and every failure is a ModelFormatError naming the message path. Pure, no I/O.
// Reference: protobuf encoding spec (wire types 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
import { ModelFormatError } from '../../lib/errors';

export type WireType = 0 | 1 | 2 | 5;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group-start', 'group-end', 'fixed32', '6', '7'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one message (a byte range) field by field. `path` names the message in error messages. */
export class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    readonly path: string,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get isDone(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a tag; returns field number and wire type. Rejects field 0 and group/reserved wire types. */
  tag(): { field: number; wire: WireType } {
    const at = this.pos;
    const key = this.varint();
    const wire = key % 8;
    const field = Math.floor(key / 8);
    if (field === 0 || field > 536870911) this.fail('garbage', `invalid field number ${field} at byte ${at}`);
    if (wire !== 0 && wire !== 1 && wire !== 2 && wire !== 5) {
      this.fail('garbage', `field ${field} has unsupported wire type ${WIRE_NAMES[wire]} at byte ${at}`);
    }
    return { field, wire };
  }

  /** Unsigned varint as a number; values above 2^53 fail (use varint64 for int64 payloads). */
  varint(): number {
    const start = this.pos;
    let v = 0;
    for (let i = 0; i < 4 && this.pos < this.end; i++) {
      const b = this.buf[this.pos++] as number;
      v += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return v;
    }
    this.pos = start;
    return this.varintSlow();
  }

  private varintSlow(): number {
    const v = this.varint64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('garbage', `varint ${v} is too large at byte ${this.pos}`);
    return Number(v);
  }

  /** Unsigned 64-bit varint (at most 10 bytes). */
  varint64(): bigint {
    let result = 0n;
    for (let i = 0, shift = 0n; i < 10; i++, shift += 7n) {
      if (this.pos >= this.end) this.fail('truncated', `varint runs past the end of the message (byte ${this.pos})`);
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    return this.fail('garbage', `varint longer than 10 bytes ending at byte ${this.pos}`);
  }

  /** Signed int64 varint (two's complement) as a bigint. */
  int64(): bigint {
    return BigInt.asIntN(64, this.varint64());
  }

  /** Signed int32/int64 varint as a number; fails outside the safe integer range. */
  int(): number {
    const v = this.int64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail('garbage', `integer ${v} is outside the safe range`);
    return Number(v);
  }

  /** A length-delimited payload as a view into the buffer. */
  bytes(): Uint8Array {
    const len = this.varint();
    if (len > this.end - this.pos) this.fail('truncated', `length ${len} at byte ${this.pos} runs past the end (${this.end - this.pos} bytes left)`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** A length-delimited payload as a child reader. */
  sub(path: string): Reader {
    const b = this.bytes();
    return new Reader(this.buf, path, b.byteOffset - this.buf.byteOffset, b.byteOffset - this.buf.byteOffset + b.length);
  }

  string(): string {
    const s = decodeUtf8(this.bytes());
    return s ?? this.fail('garbage', `string field is not valid UTF-8`);
  }

  fixed32(): DataView {
    return this.fixed(4);
  }

  fixed64(): DataView {
    return this.fixed(8);
  }

  /** Skips one field's payload of wire type `wire`. */
  skip(wire: WireType): void {
    if (wire === 0) this.varint64();
    else if (wire === 1) this.fixed(8);
    else if (wire === 2) this.bytes();
    else this.fixed(4);
  }

  /** Fails unless the field has the expected wire type. */
  expect(wire: WireType, expected: WireType, field: string): void {
    if (wire !== expected) this.fail('garbage', `${field} has wire type ${WIRE_NAMES[wire]}, expected ${WIRE_NAMES[expected]}`);
  }

  fail(reason: 'truncated' | 'garbage', message: string): never {
    throw new ModelFormatError(reason, `${this.path}: ${message}`);
  }

  private fixed(n: number): DataView {
    if (this.end - this.pos < n) this.fail('truncated', `fixed${n * 8} runs past the end (byte ${this.pos})`);
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return dv;
  }
}

/** Strict UTF-8 decoding, undefined when invalid. Short ASCII strings (most names) skip TextDecoder, which is slow per call. */
export function decodeUtf8(b: Uint8Array): string | undefined {
  if (b.length <= 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) {
      const c = b[i] as number;
      if (c >= 0x80) return decodeSlow(b);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decodeSlow(b);
}

function decodeSlow(b: Uint8Array): string | undefined {
  try {
    return utf8.decode(b);
  } catch {
    return undefined;
  }
}

/**
 * Runs `onField` for every field of the message; fields it does not handle (returns false) are copied verbatim
 * (tag + payload) into the returned array so the encoder can re-emit them.
 */
export function readFields(r: Reader, onField: (field: number, wire: WireType, start: number) => boolean): Uint8Array[] {
  const unknown: Uint8Array[] = [];
  while (!r.isDone) {
    const start = r.pos;
    const { field, wire } = r.tag();
    if (onField(field, wire, start)) continue;
    r.skip(wire);
    unknown.push(r.buf.slice(start, r.pos));
  }
  return unknown;
}

/** Sets own property `key` even when it is "__proto__" (keys come from untrusted files). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key !== '__proto__') obj[key] = value;
  else Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Repeated scalar field that may be packed (wire 2) or not: calls `one` per element. */
export function readRepeated(r: Reader, wire: WireType, scalarWire: WireType, field: string, one: (r: Reader) => void): void {
  if (wire === 2) {
    const inner = r.sub(`${r.path}.${field}`);
    while (!inner.isDone) one(inner);
    return;
  }
  r.expect(wire, scalarWire, field);
  one(r);
}
