// CRC-32 (PNG chunks, ISO 3309 / ITU-T V.42 polynomial 0xEDB88320) and Adler-32 (zlib trailer, RFC 1950
// §8.2). Pure; no I/O. Reference: PNG spec Annex D sample code.

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of `parts` concatenated (PNG: chunk type + data). */
export function crc32(...parts: Uint8Array[]): number {
  const t = crcTable();
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = (t[(c ^ (p[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 of `data` (RFC 1950): s2·65536 + s1, sums mod 65521, reduced every 5552 bytes. */
export function adler32(data: Uint8Array): number {
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      s1 += data[i] as number;
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}
