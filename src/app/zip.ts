// A minimal ZIP writer (stored entries, no compression) for downloads made of several files: concept packs
// (pack.json + weights.safetensors + ecosystem exports). Pure bytes out. Reference: PKWARE APPNOTE 6.3.3 §4.3.
import { crc32 } from '../diffusion/index';

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
