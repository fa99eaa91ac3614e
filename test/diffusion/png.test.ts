// PNG: decode Pillow-made files of every colour type (oracle: tools/fixtures/png.py), round-trip our own
// encoder (sync stored and async compressed), text chunks incl. A1111 `parameters`, and corrupt input.
import { deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/diffusion/png.json';
import { ConfigError, ImageFormatError } from '../../src/lib/errors';
import { adler32, crc32 } from '../../src/diffusion/image/checksums';
import { inflateRaw } from '../../src/diffusion/image/inflate';
import { decodePng, encodePng, encodePngAsync, MAX_PNG_PIXELS, readPngText } from '../../src/diffusion/image/png';
import type { PixelImage } from '../../src/diffusion/image/png';
import { zlibInflate, zlibStore } from '../../src/diffusion/image/zlib';

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('checksums', () => {
  it('match the standard check values', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(ascii('1234'), ascii('56789'))).toBe(0xcbf43926);
    expect(adler32(ascii('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(100_000).fill(255))).toBe(0x149a302c); // python zlib.adler32(b'\xff' * 100000)
  });
});

describe('inflate against node:zlib', () => {
  const text = ascii('the cat sat on the mat; '.repeat(300) + 'xyz'.repeat(7));
  it('decodes fixed and dynamic Huffman blocks at every level', () => {
    for (const level of [0, 1, 6, 9]) expect(Buffer.from(inflateRaw(deflateRawSync(text, { level })).data).equals(Buffer.from(text))).toBe(true);
    const tiny = deflateRawSync(ascii('ab'), { strategy: 4 });
    expect(new TextDecoder().decode(inflateRaw(tiny).data)).toBe('ab');
  });
  it('reads zlib streams from node and from zlibStore (multi-block)', () => {
    expect(Buffer.from(zlibInflate(deflateSync(text))).equals(Buffer.from(text))).toBe(true);
    const big = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 7) & 0xff);
    expect(Buffer.from(zlibInflate(zlibStore(big))).equals(Buffer.from(big))).toBe(true);
  });
  it('rejects corrupt streams', () => {
    const z = deflateSync(text);
    const bad = z.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
    expect(() => zlibInflate(bad)).toThrow(/Adler-32 mismatch/);
    expect(() => zlibInflate(z.subarray(0, 20))).toThrow(ImageFormatError);
    expect(() => zlibInflate(Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0xff, 0xff]))).toThrow(ImageFormatError);
    expect(() => zlibInflate(deflateSync(new Uint8Array(1 << 20)), 1000)).toThrow(/exceeds the expected 1000 bytes/);
  });
});

describe('decodePng on Pillow files', () => {
  for (const c of fixture.cases) {
    it(`${c.mode} ${c.width}×${c.height}: pixels and text as Pillow reads them`, () => {
      const img = decodePng(b64(c.png));
      expect([img.width, img.height]).toEqual([c.width, c.height]);
      expect(Array.from(img.data)).toEqual(c.rgba);
      expect(img.text).toEqual(c.text);
    });
  }
});

describe('encodePng', () => {
  const rgb: PixelImage = { width: 3, height: 2, channels: 3, data: Uint8Array.from({ length: 18 }, (_, i) => i * 13) };
  const params = 'a <cat1> cat\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 64x64, Model: tiny';
  it('reads back a 200 KB ComfyUI-sized workflow chunk it wrote (tEXt and iTXt), which spreading the bytes overflowed', () => {
    const workflow = JSON.stringify({ nodes: Array.from({ length: 3000 }, (_, i) => ({ id: i, type: 'KSampler', widgets_values: [i, 'euler', 'normal', 1] })) });
    expect(workflow.length).toBeGreaterThan(200_000);
    const back = decodePng(encodePng(rgb, { workflow, prompt: `${workflow}猫` }));
    expect(back.text.workflow).toBe(workflow);
    expect(back.text.prompt).toBe(`${workflow}猫`);
  });

  it('round-trips pixels and text (Latin-1 as tEXt, other text as iTXt)', () => {
    const bytes = encodePng(rgb, { parameters: params, comment: '猫' });
    const back = decodePng(bytes);
    expect(back.text).toEqual({ parameters: params, comment: '猫' });
    expect(Array.from(back.data.filter((_, i) => i % 4 !== 3))).toEqual(Array.from(rgb.data));
    const types = [];
    for (let at = 8; at < bytes.length; ) {
      const len = new DataView(bytes.buffer).getUint32(at);
      types.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
      at += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'tEXt', 'iTXt', 'IDAT', 'IEND']);
  });
  it('writes gray, gray+alpha and RGBA', () => {
    for (const channels of [1, 2, 4] as const) {
      const data = Uint8Array.from({ length: 4 * channels }, (_, i) => 40 + i);
      const back = decodePng(encodePng({ width: 2, height: 2, channels, data }));
      expect(back.data[0]).toBe(40);
      expect(back.data[3]).toBe(channels === 2 ? 41 : channels === 4 ? 43 : 255);
    }
  });
  it('compresses asynchronously where CompressionStream exists, to the same pixels', async () => {
    const flat: PixelImage = { width: 64, height: 64, channels: 4, data: new Uint8Array(64 * 64 * 4).fill(200) };
    const small = await encodePngAsync(flat, { parameters: params });
    expect(small.length).toBeLessThan(encodePng(flat).length / 10);
    expect(Array.from(decodePng(small).data.subarray(0, 4))).toEqual([200, 200, 200, 200]);
  });
  it('rejects bad arguments with ConfigError', () => {
    expect(() => encodePng({ ...rgb, data: new Uint8Array(5) })).toThrow(/needs 18/);
    expect(() => encodePng({ ...rgb, width: 0 })).toThrow(ConfigError);
    expect(() => encodePng(rgb, { '': 'x' })).toThrow(/keyword/);
  });
});

describe('decodePng on corrupt input', () => {
  const good = encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(12).fill(9) }, { a: 'b' });
  const flip = (at: number): Uint8Array => {
    const b = good.slice();
    b[at] = (b[at] as number) ^ 0xff;
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['a non-PNG signature', ascii('GIF89a...'), /signature/],
    ['a truncated file', good.subarray(0, good.length - 10), /truncated|past the end/],
    ['a CRC mismatch', flip(20), /CRC/],
    ['a 16-bit header', (() => { const b = good.slice(); b[24] = 16; new DataView(b.buffer).setUint32(29, crc32(b.subarray(12, 29))); return b; })(), /bit depth 16/],
    ['an interlaced header', (() => { const b = good.slice(); b[28] = 1; new DataView(b.buffer).setUint32(29, crc32(b.subarray(12, 29))); return b; })(), /Interlaced/],
  ];
  for (const [label, bytes, message] of cases) {
    it(`rejects ${label} with ImageFormatError`, () => {
      expect(() => decodePng(bytes)).toThrow(ImageFormatError);
      expect(() => decodePng(bytes)).toThrow(message);
      // the settings reader refuses the file for the same reason (it checks chunks and header, not the pixels)
      expect(() => readPngText(bytes)).toThrow(message);
    });
  }
});

/** A PNG whose IHDR says width × height over a 1×1 image's IDAT: the header and chunks are valid, the pixels are not. */
function headerOnly(width: number, height: number, text: Record<string, string>): Uint8Array {
  const b = encodePng({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, text);
  const v = new DataView(b.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  v.setUint32(29, crc32(b.subarray(12, 29)));
  return b;
}

describe('readPngText', () => {
  it('gives what decodePng gives as text, for every chunk kind the encoder writes', async () => {
    const text = { parameters: 'a cat\nSteps: 20, Sampler: DDIM, Seed: 7', workflow: '{"k":"é ü ✓"}', Comment: 'x'.repeat(70_000) };
    const img: PixelImage = { width: 5, height: 3, channels: 4, data: Uint8Array.from({ length: 60 }, (_, i) => (i * 37) % 256) };
    for (const png of [encodePng(img, text), await encodePngAsync(img, text)]) expect(readPngText(png)).toEqual(decodePng(png).text);
  });

  it('does not inflate the pixels: an 8192² header over a tiny IDAT gives its text; one pixel row more is refused as decodePng refuses it', () => {
    expect(MAX_PNG_PIXELS).toBe(8192 * 8192);
    expect(readPngText(headerOnly(8192, 8192, { parameters: 'p' }))).toEqual({ parameters: 'p' });
    // decodePng of the same bytes reads the pixels and finds them missing
    expect(() => decodePng(headerOnly(8192, 8192, { parameters: 'p' }))).toThrow(ImageFormatError);
    for (const read of [readPngText, decodePng]) expect(() => read(headerOnly(8192, 8193, {}))).toThrow(/PNG size 8192×8193 is empty or over 67108864 pixels/);
  });

  it('skips only the image data: a broken IDAT CRC still fails decodePng, a broken text CRC fails both', () => {
    const png = encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(12).fill(9) }, { a: 'b' });
    const at = (type: string) => Buffer.from(png).indexOf(type) - 4;
    const broken = (type: string) => {
      const b = png.slice();
      const end = at(type) + 8 + new DataView(b.buffer).getUint32(at(type));
      b[end] = (b[end] as number) ^ 0xff;
      return b;
    };
    expect(readPngText(broken('IDAT'))).toEqual({ a: 'b' });
    expect(() => decodePng(broken('IDAT'))).toThrow(/IDAT fails its CRC/);
    for (const read of [readPngText, decodePng]) expect(() => read(broken('tEXt'))).toThrow(/tEXt fails its CRC/);
  });
});

describe('decodePng filters', () => {
  /** A PNG whose rows use filter types 0–4 in turn (forward filters of PNG §9.2, Paeth §9.4), deflated by node:zlib. */
  function filtered(width: number, height: number, channels: 3 | 4, px: Uint8Array): Uint8Array {
    const stride = width * channels;
    const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : (px[y * stride + x] as number));
    const paeth = (a: number, b: number, c: number) => {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    };
    const raw = new Uint8Array((stride + 1) * height);
    for (let y = 0; y < height; y++) {
      const f = y % 5;
      raw[y * (stride + 1)] = f;
      for (let x = 0; x < stride; x++) {
        const [a, b, c] = [at(x - channels, y), at(x, y - 1), at(x - channels, y - 1)];
        const pred = [0, a, b, (a + b) >>> 1, paeth(a, b, c)][f] as number;
        raw[y * (stride + 1) + 1 + x] = (at(x, y) - pred) & 0xff;
      }
    }
    const chunk = (type: string, data: Uint8Array) => {
      const out = new Uint8Array(12 + data.length);
      const v = new DataView(out.buffer);
      v.setUint32(0, data.length);
      out.set(ascii(type), 4);
      out.set(data, 8);
      v.setUint32(8 + data.length, crc32(ascii(type), data));
      return out;
    };
    const ihdr = new Uint8Array(13);
    new DataView(ihdr.buffer).setUint32(0, width);
    new DataView(ihdr.buffer).setUint32(4, height);
    ihdr.set([8, channels === 3 ? 2 : 6, 0, 0, 0], 8);
    const parts = [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array(0))];
    return new Uint8Array(Buffer.concat(parts));
  }

  it('reverses every filter type (in place) for RGB and RGBA rows', () => {
    for (const channels of [3, 4] as const) {
      const [w, h] = [7, 11];
      const px = Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 97 + ((i * i) % 13) * 31) & 0xff);
      const d = decodePng(filtered(w, h, channels, px));
      const rgba = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 && channels === 3 ? 255 : (px[Math.floor(i / 4) * channels + (i % 4)] as number)));
      expect([d.width, d.height]).toEqual([w, h]);
      expect(Buffer.from(d.data).equals(Buffer.from(rgba))).toBe(true);
    }
  });
});
