// zlib container (RFC 1950) around DEFLATE: a synchronous stored-block encoder, an optional async
// compressed encoder through the platform's CompressionStream('deflate') (Node ≥ 18, browsers), and a
// synchronous decoder with header and Adler-32 checks. Pure apart from CompressionStream; no file I/O.
import { ImageFormatError } from '../../lib/errors';
import { adler32, crc32 } from './checksums';
import { inflateRaw } from './inflate';

/** zlib stream of stored (uncompressed) DEFLATE blocks of ≤ 65,535 bytes: always valid, never smaller. */
export function zlibStore(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78; // CMF: deflate, 32K window
  out[1] = 0x01; // FLG: no dict, fastest; (0x78·256 + 0x01) % 31 === 0
  let at = 2;
  for (let b = 0; b < blocks; b++) {
    const chunk = data.subarray(b * 65535, Math.min(data.length, (b + 1) * 65535));
    out[at] = b === blocks - 1 ? 1 : 0;
    out[at + 1] = chunk.length & 0xff;
    out[at + 2] = chunk.length >>> 8;
    out[at + 3] = ~chunk.length & 0xff;
    out[at + 4] = (~chunk.length >>> 8) & 0xff;
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  new DataView(out.buffer).setUint32(at, adler32(data));
  return out;
}

/** Whether this platform offers CompressionStream('deflate'). */
export function hasCompressionStream(): boolean {
  return typeof (globalThis as { CompressionStream?: unknown }).CompressionStream === 'function';
}

/** zlib-compresses with CompressionStream('deflate') when available, else stores. */
export async function zlibCompress(data: Uint8Array): Promise<Uint8Array> {
  if (!hasCompressionStream()) return zlibStore(data);
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** zlib stream → bytes (at most `maxOutput`); checks CMF/FLG, rejects preset dictionaries, verifies Adler-32. */
export function zlibInflate(src: Uint8Array, maxOutput?: number): Uint8Array {
  if (src.length < 6) throw new ImageFormatError(`zlib stream of ${src.length} bytes is too short.`);
  const cmf = src[0] as number;
  const flg = src[1] as number;
  if ((cmf & 0x0f) !== 8 || (cmf * 256 + flg) % 31 !== 0) {
    throw new ImageFormatError(`zlib header 0x${cmf.toString(16)} 0x${flg.toString(16)} is not a deflate stream.`);
  }
  if (flg & 0x20) throw new ImageFormatError('zlib stream needs a preset dictionary, which PNG forbids.');
  const { data, consumed } = inflateRaw(src.subarray(2), maxOutput);
  const at = 2 + consumed;
  if (at + 4 > src.length) throw new ImageFormatError('zlib stream lacks its Adler-32 trailer (truncated).');
  const expected = new DataView(src.buffer, src.byteOffset + at, 4).getUint32(0);
  if (expected !== adler32(data)) throw new ImageFormatError('zlib Adler-32 mismatch: the image data is corrupt.');
  return data;
}

/** gzip member (RFC 1952) → bytes (at most `maxOutput`): checks the magic, skips optional fields, verifies CRC-32 and size. */
export function gunzip(src: Uint8Array, maxOutput?: number): Uint8Array {
  if (src.length < 18 || src[0] !== 0x1f || src[1] !== 0x8b || src[2] !== 8) throw new ImageFormatError('not a gzip (deflate) stream: the first bytes are not 1f 8b 08.');
  const flg = src[3] as number;
  let at = 10;
  if (flg & 4) at += 2 + ((src[at] as number) | ((src[at + 1] as number) << 8));
  for (const bit of [8, 16]) if (flg & bit) { while (at < src.length && src[at] !== 0) at++; at++; }
  if (flg & 2) at += 2;
  if (at >= src.length) throw new ImageFormatError('gzip header runs past the end of the stream (truncated).');
  const { data, consumed } = inflateRaw(src.subarray(at), maxOutput);
  const end = at + consumed;
  if (end + 8 > src.length) throw new ImageFormatError('gzip stream lacks its CRC-32/size trailer (truncated).');
  const view = new DataView(src.buffer, src.byteOffset + end, 8);
  if (view.getUint32(0, true) !== crc32(data) || view.getUint32(4, true) !== (data.length >>> 0)) throw new ImageFormatError('gzip CRC-32 or size mismatch: the file is corrupt.');
  return data;
}
