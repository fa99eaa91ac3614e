// PNG encoder (8-bit gray/gray+alpha/RGB/RGBA, filter 0, text chunks) and decoder (8-bit all colour types,
// 1/2/4-bit gray and palette, tRNS; non-interlaced) returning RGBA plus text. Pure bytes; no DOM.
// Reference: PNG spec (ISO/IEC 15948) §5 chunks, §9 filters (Paeth §9.4), §11.2 IHDR/PLTE, §11.3 tRNS/text.
import { ConfigError, ImageFormatError } from '../../lib/errors';
import { crc32 } from './checksums';
import { decodeTextChunk, encodeTextChunk } from './pngText';
import { zlibCompress, zlibInflate, zlibStore } from './zlib';

/** 8-bit pixels, row-major, interleaved. channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
export type PixelImage = { width: number; height: number; channels: 1 | 2 | 3 | 4; data: Uint8Array | Uint8ClampedArray };

/** A decoded PNG: always RGBA, plus its text chunks (keyword → text, later chunks win) and source color type. */
export type DecodedPng = { width: number; height: number; channels: 4; data: Uint8Array; text: Record<string, string>; colorType: number };

const SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);
const COLOR_TYPE: Record<PixelImage['channels'], number> = { 1: 0, 2: 4, 3: 2, 4: 6 };
/** color type → samples per pixel. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Largest accepted width × height (guards allocations from hostile headers). */
export const MAX_PNG_PIXELS = 1 << 26;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const t = Uint8Array.from(type, (c) => c.charCodeAt(0));
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(t, 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(t, data));
  return out;
}

function rawScanlines(img: PixelImage): Uint8Array {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > MAX_PNG_PIXELS) {
    throw new ConfigError(`PNG size ${width}×${height} is invalid; width and height must be positive integers, ≤ ${MAX_PNG_PIXELS} pixels.`);
  }
  if (COLOR_TYPE[channels] === undefined) throw new ConfigError(`PNG channels ${String(channels)} unsupported; use 1, 2, 3 or 4.`);
  const stride = width * channels;
  if (data.length !== stride * height) {
    throw new ConfigError(`PNG pixel data has ${data.length} bytes; ${width}×${height}×${channels} needs ${stride * height}.`);
  }
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return raw;
}

function assemble(img: PixelImage, idat: Uint8Array, text: Record<string, string>): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, img.width);
  v.setUint32(4, img.height);
  ihdr.set([8, COLOR_TYPE[img.channels], 0, 0, 0], 8);
  const parts = [SIGNATURE, chunk('IHDR', ihdr)];
  for (const [k, val] of Object.entries(text)) parts.push(chunk(...encodeTextChunk(k, val)));
  parts.push(chunk('IDAT', idat), chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Encodes synchronously with stored (uncompressed) deflate: larger files, works everywhere.
 * @param text keyword → text, written in insertion order before IDAT (e.g. `{ parameters: infotext }`).
 * @throws ConfigError for a bad size, channel count, data length or keyword.
 */
export function encodePng(img: PixelImage, text: Record<string, string> = {}): Uint8Array {
  return assemble(img, zlibStore(rawScanlines(img)), text);
}

/** Like encodePng but compressed with CompressionStream('deflate') where the platform has it. */
export async function encodePngAsync(img: PixelImage, text: Record<string, string> = {}): Promise<Uint8Array> {
  return assemble(img, await zlibCompress(rawScanlines(img)), text);
}

type Header = { width: number; height: number; colorType: number; depth: number };

function parseHeader(d: Uint8Array): Header {
  if (d.length !== 13) throw new ImageFormatError(`IHDR has ${d.length} bytes; 13 expected.`);
  const v = new DataView(d.buffer, d.byteOffset, 13);
  const width = v.getUint32(0);
  const height = v.getUint32(4);
  const [depth, colorType, , , interlace] = d.subarray(8);
  if (width < 1 || height < 1 || width * height > MAX_PNG_PIXELS) throw new ImageFormatError(`PNG size ${width}×${height} is empty or over ${MAX_PNG_PIXELS} pixels.`);
  if (SAMPLES[colorType as number] === undefined) throw new ImageFormatError(`PNG color type ${String(colorType)} is invalid.`);
  const isLowDepthOk = (colorType === 0 || colorType === 3) && (depth === 1 || depth === 2 || depth === 4);
  if (depth !== 8 && !isLowDepthOk) throw new ImageFormatError(`PNG bit depth ${String(depth)} (color type ${String(colorType)}) is not supported; re-save the image as 8-bit.`);
  if (interlace !== 0) throw new ImageFormatError('Interlaced (Adam7) PNGs are not supported; re-save without interlacing.');
  return { width, height, colorType: colorType as number, depth: depth as number };
}

/** Paeth predictor (PNG §9.4): whichever of a, b, c is closest to a + b − c, ties a → b → c. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-row filters (PNG §9.2; Paeth §9.4) into a new array: the unfiltered pixel rows, without filter bytes. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  if (raw.length !== (stride + 1) * height) throw new ImageFormatError(`PNG image data has ${raw.length} bytes; ${(stride + 1) * height} expected.`);
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    if (filter > 4) throw new ImageFormatError(`PNG row ${y} uses filter type ${filter}; only 0–4 exist.`);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (out[row + x - bpp] as number) : 0;
      const b = y > 0 ? (out[row - stride + x] as number) : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >>> 1;
      else if (filter === 4) pred = paeth(a, b, x >= bpp && y > 0 ? (out[row - stride + x - bpp] as number) : 0);
      out[row + x] = ((raw[src + x] as number) + pred) & 0xff;
    }
  }
  return out;
}

/** Sub-byte samples (depth 1/2/4, gray or palette) → one byte each; gray is rescaled to 0–255. */
function unpackLowDepth(px: Uint8Array, h: Header, stride: number): Uint8Array {
  if (h.depth === 8) return px;
  const out = new Uint8Array(h.width * h.height);
  const mask = (1 << h.depth) - 1;
  const scale = h.colorType === 0 ? 255 / mask : 1;
  for (let y = 0; y < h.height; y++) {
    for (let x = 0; x < h.width; x++) {
      const bit = x * h.depth;
      const byte = px[y * stride + (bit >>> 3)] as number;
      out[y * h.width + x] = ((byte >>> (8 - h.depth - (bit & 7))) & mask) * scale;
    }
  }
  return out;
}

/** tRNS for gray/RGB: the 16-bit sample value(s) that mean "transparent", in our unpacked 0–255 scale. */
function transparentKey(h: Header, trns: Uint8Array | undefined): number[] | undefined {
  if (!trns || (h.colorType !== 0 && h.colorType !== 2)) return undefined;
  const count = h.colorType === 0 ? 1 : 3;
  if (trns.length < count * 2) throw new ImageFormatError(`PNG tRNS chunk has ${trns.length} bytes; ${count * 2} expected.`);
  const scale = h.colorType === 0 && h.depth < 8 ? 255 / ((1 << h.depth) - 1) : 1;
  return Array.from({ length: count }, (_, k) => (((trns[2 * k] as number) << 8) | (trns[2 * k + 1] as number)) * scale);
}

function toRgba(px: Uint8Array, h: Header, palette: Uint8Array | undefined, trns: Uint8Array | undefined): Uint8Array {
  const n = h.width * h.height;
  const out = new Uint8Array(n * 4);
  const key = transparentKey(h, trns);
  for (let i = 0; i < n; i++) {
    let [r, g, b, a] = [0, 0, 0, 255];
    if (h.colorType === 0 || h.colorType === 4) {
      r = g = b = px[i * (SAMPLES[h.colorType] as number)] as number;
      if (h.colorType === 4) a = px[i * 2 + 1] as number;
      else if (key && r === key[0]) a = 0;
    } else if (h.colorType === 2 || h.colorType === 6) {
      const s = SAMPLES[h.colorType] as number;
      [r, g, b] = [px[i * s] as number, px[i * s + 1] as number, px[i * s + 2] as number];
      if (h.colorType === 6) a = px[i * 4 + 3] as number;
      else if (key && r === key[0] && g === key[1] && b === key[2]) a = 0;
    } else {
      const idx = px[i] as number;
      if (!palette || idx * 3 + 2 >= palette.length) throw new ImageFormatError(`PNG palette index ${idx} is outside the PLTE chunk.`);
      [r, g, b] = [palette[idx * 3] as number, palette[idx * 3 + 1] as number, palette[idx * 3 + 2] as number];
      a = trns && idx < trns.length ? (trns[idx] as number) : 255;
    }
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = a;
  }
  return out;
}

type Chunks = { header: Header; palette?: Uint8Array; trns?: Uint8Array; idat: Uint8Array[]; text: Record<string, string> };

/** Walks the chunks (CRCs verified, IHDR checked against MAX_PNG_PIXELS); IDAT data is kept and its CRC checked only `withPixels`. */
function readChunks(bytes: Uint8Array, withPixels: boolean): Chunks {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new ImageFormatError('Not a PNG file (signature mismatch).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  let idatCount = 0;
  const idat: Uint8Array[] = [];
  const text: Record<string, string> = {};
  for (let at = 8; ; ) {
    if (at + 12 > bytes.length) throw new ImageFormatError('PNG is truncated (no IEND chunk).');
    const len = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + len > bytes.length) throw new ImageFormatError(`PNG chunk ${type} of ${len} bytes runs past the end of the file.`);
    const data = bytes.subarray(at + 8, at + 8 + len);
    const isChecked = withPixels || type !== 'IDAT';
    if (isChecked && view.getUint32(at + 8 + len) !== crc32(bytes.subarray(at + 4, at + 8), data)) throw new ImageFormatError(`PNG chunk ${type} fails its CRC check.`);
    at += 12 + len;
    if (type !== 'IHDR' && !header) throw new ImageFormatError(`PNG chunk ${type} appears before IHDR.`);
    if (type === 'IHDR') header = parseHeader(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') {
      idatCount++;
      if (withPixels) idat.push(data);
    } else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const [k, v] = decodeTextChunk(type, data);
      Object.defineProperty(text, k, { value: v, enumerable: true, writable: true, configurable: true });
    } else if (type === 'IEND') break;
    else if (/^[A-Z]/.test(type)) throw new ImageFormatError(`PNG has unknown critical chunk ${type}.`);
  }
  if (idatCount === 0) throw new ImageFormatError('PNG has no IDAT chunk.');
  return { header: header as Header, palette, trns, idat, text };
}

/**
 * Decodes a PNG to RGBA and its text chunks (tEXt, zTXt, iTXt). CRCs are verified.
 * @throws ImageFormatError for a bad signature, CRC mismatch, truncation, unsupported variant or corrupt data.
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const { header: h, palette, trns, idat, text } = readChunks(bytes, true);
  const joined = new Uint8Array(idat.reduce((a, d) => a + d.length, 0));
  let offset = 0;
  for (const d of idat) {
    joined.set(d, offset);
    offset += d.length;
  }
  const samples = SAMPLES[h.colorType] as number;
  const stride = Math.ceil((h.width * samples * h.depth) / 8);
  const px = unpackLowDepth(unfilter(zlibInflate(joined, (stride + 1) * h.height), stride, h.height, Math.max(1, (samples * h.depth) >>> 3)), h, stride);
  return { width: h.width, height: h.height, channels: 4, data: toRgba(px, h, palette, trns), text, colorType: h.colorType };
}

/**
 * The text chunks of a PNG (what decodePng(bytes).text gives) without reading its pixels: the chunk layout, the
 * header and every other chunk's CRC are checked as decodePng checks them; the image data (IDAT: bytes and CRCs) is not. For reading generation settings from a
 * dropped PNG, whose cost then does not grow with the image (docs/benchmarks/png-decode-8192-2026-12-08.json).
 * @throws ImageFormatError as decodePng, except for faults inside the compressed image data.
 */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  return readChunks(bytes, false).text;
}
