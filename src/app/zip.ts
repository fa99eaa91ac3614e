// A minimal ZIP writer (stored entries, no compression) for downloads made of several files: concept packs
// (pack.json + weights.safetensors + ecosystem exports), projects with their trained packs; and its reader for what
// the studio wrote (stored entries; a compressed entry is refused by name). Pure bytes in and out.
// Reference: PKWARE APPNOTE 6.3.3 §4.3 (local header, central directory, end of central directory).
import { crc32 } from '../diffusion/index';
import { StudioError } from '../lib/errors';
import { checkInsidePath } from '../lib/paths';

/** A ZIP the reader cannot take: names the archive and what is wrong. */
export class ZipReadError extends StudioError {
  constructor(file: string, message: string) {
    super('zip', `${file}: ${message}`);
  }
}

/** Entries read at most (a project with packs has a handful). */
export const MAX_ZIP_ENTRIES = 1000;

/**
 * The entries of a stored (uncompressed) ZIP such as zipStored writes: name → bytes, names checked by the one path
 * rule (lib/paths.ts), sizes and CRC-32 checked.
 * @param file the archive's name, for the messages
 * @throws ZipReadError for a truncated or foreign archive, a compressed or encrypted entry, a bad CRC
 */
export function readStoredZip(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (m: string): never => {
    throw new ZipReadError(file, m);
  };
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) fail('not a ZIP archive (no end of central directory)');
  const count = view.getUint16(end + 10, true);
  const dirSize = view.getUint32(end + 12, true);
  let at = view.getUint32(end + 16, true);
  if (count > MAX_ZIP_ENTRIES) fail(`${count} entries; at most ${MAX_ZIP_ENTRIES} are read`);
  if (at + dirSize > end) fail('the central directory lies outside the archive (truncated?)');
  const out = new Map<string, Uint8Array>();
  for (let k = 0; k < count; k++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) fail(`entry ${k + 1}: broken central directory`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + skip;
    if (name.endsWith('/')) continue;
    checkInsidePath(name, file, `entry ${k + 1}`);
    if (flags & 1) fail(`"${name}" is encrypted`);
    if (method !== 0) fail(`"${name}" is compressed (method ${method}); DisenStudio reads the stored ZIPs it writes: export the project again from the studio`);
    if (local + 30 > end || view.getUint32(local, true) !== 0x04034b50) fail(`"${name}": broken local header`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > end) fail(`"${name}" runs past the end of the archive (truncated?)`);
    const data = bytes.slice(start, start + size);
    if (crc32(data) !== crc) fail(`"${name}" is damaged (CRC mismatch)`);
    if (out.has(name)) fail(`"${name}" appears twice`);
    out.set(name, data);
  }
  return out;
}

function header(size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
}

/** ZIP archive of `files` (name → bytes), stored, UTF-8 names, DOS date 1980-01-01. */
export function zipStored(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = new TextEncoder().encode(name);
    const crc = crc32(data);
    const local = header(30 + nameBytes.length);
    local.view.setUint32(0, 0x04034b50, true);
    local.view.setUint16(4, 20, true);
    local.view.setUint16(6, 0x0800, true);
    local.view.setUint16(12, 0x21, true);
    local.view.setUint32(14, crc, true);
    local.view.setUint32(18, data.length, true);
    local.view.setUint32(22, data.length, true);
    local.view.setUint16(26, nameBytes.length, true);
    local.bytes.set(nameBytes, 30);
    const dir = header(46 + nameBytes.length);
    dir.view.setUint32(0, 0x02014b50, true);
    dir.view.setUint16(4, 20, true);
    dir.view.setUint16(6, 20, true);
    dir.view.setUint16(8, 0x0800, true);
    dir.view.setUint16(14, 0x21, true);
    dir.view.setUint32(16, crc, true);
    dir.view.setUint32(20, data.length, true);
    dir.view.setUint32(24, data.length, true);
    dir.view.setUint16(28, nameBytes.length, true);
    dir.view.setUint32(42, offset, true);
    dir.bytes.set(nameBytes, 46);
    parts.push(local.bytes, data);
    central.push(dir.bytes);
    offset += local.bytes.length + data.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = header(22);
  end.view.setUint32(0, 0x06054b50, true);
  end.view.setUint16(8, files.size, true);
  end.view.setUint16(10, files.size, true);
  end.view.setUint32(12, dirSize, true);
  end.view.setUint32(16, offset, true);
  const out = new Uint8Array(offset + dirSize + 22);
  let at = 0;
  for (const b of [...parts, ...central, end.bytes]) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
