// DEFLATE decoder (stored, fixed and dynamic Huffman blocks), synchronous so PNG decoding works the same
// in Node and browsers. Pure; no I/O. Reference: RFC 1951 §3.2 and Mark Adler's zlib/contrib/puff.c
// (canonical Huffman decode by code length counts). Corrupt input throws ImageFormatError.
import { ImageFormatError } from '../../lib/errors';

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Canonical Huffman code: count[len] = number of symbols of that length; symbols sorted by code. */
type Huffman = { count: Uint16Array; symbol: Uint16Array };

function corrupt(message: string): never {
  throw new ImageFormatError(`deflate stream is corrupt: ${message}.`);
}

function buildHuffman(lengths: ArrayLike<number>): Huffman {
  const count = new Uint16Array(16);
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i] as number;
    count[len] = (count[len] as number) + 1;
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = (offs[len] as number) + (count[len] as number);
  const symbol = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i] as number;
    if (len === 0) continue;
    symbol[offs[len] as number] = i;
    offs[len] = (offs[len] as number) + 1;
  }
  return { count, symbol };
}

class BitReader {
  pos = 0;
  private bitBuf = 0;
  private bitCount = 0;
  constructor(private readonly src: Uint8Array) {}

  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.src.length) corrupt('unexpected end of data');
      this.bitBuf |= (this.src[this.pos++] as number) << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }

  alignToByte(): void {
    this.bitBuf = 0;
    this.bitCount = 0;
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1);
      const count = h.count[len] as number;
      if (code - count < first) return h.symbol[index + (code - first)] as number;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return corrupt('invalid Huffman code');
  }
}

class Output {
  buf = new Uint8Array(1 << 16);
  length = 0;
  constructor(private readonly limit: number) {}
  push(b: number): void {
    if (this.length === this.limit) corrupt(`output exceeds the expected ${this.limit} bytes`);
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = b;
  }
}

function stored(r: BitReader, src: Uint8Array, out: Output): void {
  r.alignToByte();
  if (r.pos + 4 > src.length) corrupt('truncated stored block header');
  const len = (src[r.pos] as number) | ((src[r.pos + 1] as number) << 8);
  const nlen = (src[r.pos + 2] as number) | ((src[r.pos + 3] as number) << 8);
  if ((len ^ 0xffff) !== nlen) corrupt(`stored block length ${len} does not match its complement`);
  r.pos += 4;
  if (r.pos + len > src.length) corrupt('truncated stored block');
  for (let i = 0; i < len; i++) out.push(src[r.pos + i] as number);
  r.pos += len;
}

function codes(r: BitReader, out: Output, lit: Huffman, dist: Huffman): void {
  for (;;) {
    const sym = r.decode(lit);
    if (sym < 256) out.push(sym);
    else if (sym === 256) return;
    else {
      const li = sym - 257;
      if (li >= 29) corrupt(`length symbol ${sym}`);
      const len = (LEN_BASE[li] as number) + r.bits(LEN_EXTRA[li] as number);
      const di = r.decode(dist);
      if (di >= 30) corrupt(`distance symbol ${di}`);
      const d = (DIST_BASE[di] as number) + r.bits(DIST_EXTRA[di] as number);
      if (d > out.length) corrupt(`distance ${d} reaches before the start of the output`);
      for (let i = 0; i < len; i++) out.push(out.buf[out.length - d] as number);
    }
  }
}

function fixedTables(): [Huffman, Huffman] {
  const l = new Uint8Array(288);
  l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  return [buildHuffman(l), buildHuffman(new Uint8Array(30).fill(5))];
}

function dynamicTables(r: BitReader): [Huffman, Huffman] {
  const nlen = r.bits(5) + 257;
  const ndist = r.bits(5) + 1;
  const ncode = r.bits(4) + 4;
  const clLengths = new Uint8Array(19);
  for (let i = 0; i < ncode; i++) clLengths[CL_ORDER[i] as number] = r.bits(3);
  const cl = buildHuffman(clLengths);
  const lengths = new Uint8Array(nlen + ndist);
  for (let i = 0; i < nlen + ndist; ) {
    const sym = r.decode(cl);
    if (sym < 16) lengths[i++] = sym;
    else {
      if (sym === 16 && i === 0) corrupt('repeat with no previous length');
      const prev = sym === 16 ? (lengths[i - 1] as number) : 0;
      const n = sym === 16 ? 3 + r.bits(2) : sym === 17 ? 3 + r.bits(3) : 11 + r.bits(7);
      if (i + n > nlen + ndist) corrupt('code lengths overrun');
      lengths.fill(prev, i, i + n);
      i += n;
    }
  }
  return [buildHuffman(lengths.subarray(0, nlen)), buildHuffman(lengths.subarray(nlen))];
}

/**
 * Raw DEFLATE (RFC 1951) → bytes. Returns the output and how many input bytes were consumed.
 * `maxOutput` bounds the output (decompression bombs throw instead of exhausting memory).
 */
export function inflateRaw(src: Uint8Array, maxOutput = 1 << 30): { data: Uint8Array; consumed: number } {
  const r = new BitReader(src);
  const out = new Output(maxOutput);
  let isLast = 0;
  while (!isLast) {
    isLast = r.bits(1);
    const type = r.bits(2);
    if (type === 0) stored(r, src, out);
    else if (type === 1) codes(r, out, ...fixedTables());
    else if (type === 2) codes(r, out, ...dynamicTables(r));
    else corrupt('block type 3 is reserved');
  }
  return { data: out.buf.slice(0, out.length), consumed: r.pos };
}
